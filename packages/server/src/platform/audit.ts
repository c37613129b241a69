import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '@passage/db';
import { GENESIS_HASH, auditEventHash, verifyAuditChain, type AuditChainFields } from '@passage/domain/platform/audit-chain';

/** What a caller says about an event; the writer adds time and chain links. */
export interface AuditInput {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  officeId?: string | null;
  purpose?: string | null;
  requestId?: string | null;
  outcome?: 'success' | 'failure';
  /** Names of changed fields only — never values. */
  changedFields?: readonly string[];
  /** Non-personal details (ids, counts, reasons chosen from a list). Never names, dates of birth, documents or health data. */
  details?: Record<string, unknown>;
}

// One key for the advisory lock that serialises appends, so the chain has no forks.
const AUDIT_LOCK_KEY = 0x70617373; // "pass"

/** The stored, hashed form of an input: its time is when it was written (handed to the writer). */
function chainFields(input: AuditInput): AuditChainFields {
  return {
    at: new Date().toISOString(),
    actorId: input.actorId,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    officeId: input.officeId ?? null,
    purpose: input.purpose ?? null,
    requestId: input.requestId ?? null,
    outcome: input.outcome ?? 'success',
    changedFields: [...(input.changedFields ?? [])].sort(),
    details: input.details ?? {},
  };
}

/**
 * Appends events to the chain, in order, in one statement: takes the chain's advisory lock (held to the end
 * of the caller's transaction), reads the last hash once, links each event to the one before it.
 * `id` is a bigserial assigned in VALUES order, so the verifier's id order is the chain's order.
 */
async function appendChained(trx: Transaction<Database> | Kysely<Database>, events: readonly AuditChainFields[]): Promise<void> {
  if (events.length === 0) return;
  // Lock, then the last hash, in one round trip (migration 2026_11_27_0003_audit_chain_head).
  const head = await sql<{ hash: string | null }>`SELECT audit_chain_head(${AUDIT_LOCK_KEY}) AS hash`.execute(trx);
  let prevHash = head.rows[0]?.hash ?? GENESIS_HASH;
  const rows = events.map((fields) => {
    const hash = auditEventHash(prevHash, fields);
    const row = {
      at: new Date(fields.at),
      actor_id: fields.actorId,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      office_id: fields.officeId,
      purpose: fields.purpose,
      request_id: fields.requestId,
      outcome: fields.outcome,
      changed_fields: [...fields.changedFields],
      details: fields.details,
      prev_hash: prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
  await trx.insertInto('audit_event').values(rows).execute();
}

/**
 * The one audit writer. Call it inside the transaction that makes the change, so
 * the change and its event commit together or not at all.
 */
export async function writeAudit(trx: Transaction<Database> | Kysely<Database>, input: AuditInput): Promise<void> {
  await appendChained(trx, [chainFields(input)]);
}

/**
 * Several events of one transaction, appended together (one lock, one read of the last hash, one INSERT).
 * Write them last, just before the COMMIT: the chain's lock is held from here to the end of the transaction.
 */
export async function writeAuditEvents(trx: Transaction<Database> | Kysely<Database>, inputs: readonly AuditInput[]): Promise<void> {
  await appendChained(trx, inputs.map(chainFields));
}

/** Events written by one group transaction at most. */
const MAX_GROUP = 500;

interface Waiting {
  fields: AuditChainFields;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for events written in their own transaction (reads: searches, views; failures). Events handed
 * in while a group is being committed wait and go together in the next group: one transaction, one lock, one
 * multi-row INSERT, one COMMIT for all of them. Each caller's promise settles only after the COMMIT of the
 * group holding its event, so "audited before answered" holds exactly as with one transaction per event; but
 * concurrent readers share one lock hold and one WAL flush instead of queueing for one each. Across processes
 * the advisory lock still orders the groups, so the chain has no forks.
 */
class GroupAppender {
  private readonly queue: Waiting[] = [];
  private running = false;

  constructor(private readonly db: Kysely<Database>) {}

  append(input: AuditInput): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ fields: chainFields(input), resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          await this.db.transaction().execute((trx) => appendChained(trx, group.map((w) => w.fields)));
          for (const w of group) w.resolve();
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error);
            continue;
          }
          // One event must not fail the others of its group: write them one by one, each settling on its own.
          for (const w of group) {
            try {
              await this.db.transaction().execute((trx) => appendChained(trx, [w.fields]));
              w.resolve();
            } catch (e) {
              w.reject(e);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}

const appenders = new WeakMap<Kysely<Database>, GroupAppender>();

/**
 * An audit event written in its own transaction (reads, and failures whose request transaction rolls back).
 * Resolves once the event is committed; concurrent calls on one database share a transaction (group commit).
 */
export async function writeAuditNow(db: Kysely<Database>, input: AuditInput): Promise<void> {
  let appender = appenders.get(db);
  if (!appender) {
    appender = new GroupAppender(db);
    appenders.set(db, appender);
  }
  await appender.append(input);
}

/** Result of walking the chain. */
export interface AuditVerification {
  checked: number;
  broken: { id: string; reason: string } | null;
}

/** Walks the whole chain in id order, in pages, and reports the first broken link. */
export async function verifyAuditTrail(db: Kysely<Database>, pageSize = 5000): Promise<AuditVerification> {
  const state = { prevHash: GENESIS_HASH };
  let after = '0';
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return { checked, broken: null };
    const broken = verifyAuditChain(
      rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorId: r.actor_id,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        officeId: r.office_id,
        purpose: r.purpose,
        requestId: r.request_id,
        outcome: r.outcome,
        changedFields: r.changed_fields,
        details: r.details,
        prevHash: r.prev_hash,
        hash: r.hash,
      })),
      state,
    );
    if (broken) {
      // Count only the events before the break as checked.
      return { checked: checked + rows.findIndex((r) => r.id === broken.id), broken };
    }
    checked += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}
