import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEventRow, Database } from '@passage/db';
import { GENESIS_HASH, auditEventHash, verifyAuditChain, type AuditChainFields, type ChainBreak, type StoredAuditEvent } from '@passage/domain/platform/audit-chain';

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

// One key for the advisory lock that lets one linker at a time extend the chain, so it has no forks.
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

/** The hashed fields of a stored event, as the linker and the verifier both read them. */
function storedChainFields(r: Omit<AuditEventRow, 'id'>): AuditChainFields {
  return {
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
  };
}

/**
 * Inserts events, in one statement. No lock and no hash here: a trigger queues them (`audit_pending`) and the
 * linker chains them after they commit (migration 2026_11_27_0010_audit_link), so concurrent writers no longer
 * commit one after another.
 */
function insertEventsQuery(trx: Transaction<Database> | Kysely<Database>, events: readonly AuditChainFields[]) {
  return trx.insertInto('audit_event').values(
    events.map((f) => ({
      at: new Date(f.at),
      actor_id: f.actorId,
      action: f.action,
      entity_type: f.entityType,
      entity_id: f.entityId,
      office_id: f.officeId,
      purpose: f.purpose,
      request_id: f.requestId,
      outcome: f.outcome,
      changed_fields: [...f.changedFields],
      details: f.details,
    })),
  );
}

async function insertEvents(trx: Transaction<Database> | Kysely<Database>, events: readonly AuditChainFields[]): Promise<void> {
  if (events.length > 0) await insertEventsQuery(trx, events).execute();
}

/**
 * The INSERT of `writeAuditEvents`, not executed: for a write that sends its change and its events as one statement
 * (data-modifying WITH), so they commit together in one round trip. At least one input.
 */
export function auditEventsInsert(db: Transaction<Database> | Kysely<Database>, inputs: readonly AuditInput[]) {
  if (inputs.length === 0) throw new Error('auditEventsInsert needs at least one event');
  return insertEventsQuery(db, inputs.map(chainFields));
}

/**
 * The one audit writer. Call it inside the transaction that makes the change, so
 * the change and its event commit together or not at all.
 */
export async function writeAudit(trx: Transaction<Database> | Kysely<Database>, input: AuditInput): Promise<void> {
  await insertEvents(trx, [chainFields(input)]);
}

/** Several events of one transaction, in one INSERT. */
export async function writeAuditEvents(trx: Transaction<Database> | Kysely<Database>, inputs: readonly AuditInput[]): Promise<void> {
  await insertEvents(trx, inputs.map(chainFields));
}

/** Events linked by one linker transaction at most. */
const LINK_BATCH = 2000;

/**
 * Links committed events into the hash chain: under the chain's advisory lock, reads the head, hashes the waiting
 * events in id order (each over the one before), appends their `audit_link` rows and takes them off the queue, in
 * one transaction per batch. Returns how many it linked.
 *
 * The transaction commits without waiting for its WAL flush: if a crash loses it, the queue entries it deleted are
 * lost with it, so the same events are linked again at the next start. With `wait: false` it gives way (returns 0)
 * when another linker (another process) holds the lock.
 */
export async function linkPendingAudit(db: Kysely<Database>, options: { wait?: boolean } = {}): Promise<number> {
  let linked = 0;
  for (;;) {
    // Nothing waiting: one cheap read, no transaction.
    if (!(await db.selectFrom('audit_pending').select('event_id').limit(1).executeTakeFirst())) return linked;
    const n = await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      if (options.wait === false) {
        const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${AUDIT_LOCK_KEY}) AS ok`.execute(trx);
        if (!got.rows[0]?.ok) return 0;
      } else {
        await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
      }
      // READ COMMITTED: these statements start after the lock is granted, so they see the previous linker's links.
      const head = await trx.selectFrom('audit_link').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const events = await trx
        .selectFrom('audit_pending as p')
        .innerJoin('audit_event as e', 'e.id', 'p.event_id')
        .selectAll('e')
        .orderBy('p.event_id')
        .limit(LINK_BATCH)
        .execute();
      if (events.length === 0) return 0;
      let seq = BigInt(head?.seq ?? 0);
      let prevHash = head?.hash ?? GENESIS_HASH;
      const links = events.map((e) => {
        const hash = auditEventHash(prevHash, storedChainFields(e));
        seq += 1n;
        const link = { seq: seq.toString(), event_id: e.id, prev_hash: prevHash, hash };
        prevHash = hash;
        return link;
      });
      await trx.insertInto('audit_link').values(links).execute();
      await trx.deleteFrom('audit_pending').where('event_id', 'in', events.map((e) => e.id)).execute();
      return events.length;
    });
    linked += n;
    if (n < LINK_BATCH) return linked;
  }
}

/**
 * Links waiting events every `intervalMs` until stopped (the server runs one; another process's linker and this
 * one take turns through the lock). An event is therefore chained within about that long of its commit.
 */
export function startAuditLinker(db: Kysely<Database>, intervalMs = 200, onError: (error: unknown) => void = () => undefined): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = linkPendingAudit(db, { wait: false })
      .then(() => undefined, onError)
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** Events written by one group INSERT at most. */
const MAX_GROUP = 500;

interface Waiting {
  fields: AuditChainFields;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for events written in their own transaction (reads: searches, views; failures). Events handed
 * in while a group is being written wait and go together in the next group: one multi-row INSERT, committed on
 * its own (one round trip, one WAL flush) for all of them. Each caller's promise settles only after the commit
 * of the group holding its event, so "audited before answered" holds exactly as with one transaction per event,
 * while concurrent readers share one statement and one flush.
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
          await insertEvents(this.db, group.map((w) => w.fields));
          for (const w of group) w.resolve();
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error);
            continue;
          }
          // One event must not fail the others of its group: write them one by one, each settling on its own.
          for (const w of group) {
            try {
              await insertEvents(this.db, [w.fields]);
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

/** How far the linker has come: no personal data, counts and times only. */
export interface AuditChainStatus {
  /** Events in the chain (the last link's position). */
  linked: number;
  /** Events committed and waiting for the linker. */
  waiting: number;
  /** How long the oldest waiting event has waited, in seconds (null when none waits). */
  oldestWaitingSeconds: number | null;
  /** When the last linked event happened (null for an empty chain). */
  lastLinkedEventAt: string | null;
}

/** The chain's state, from indexes only (cheap at any size): for the audit viewer and operators. */
export async function auditChainStatus(db: Kysely<Database>): Promise<AuditChainStatus> {
  const row = await sql<{ linked: string | null; last_at: Date | null; waiting: string; oldest_at: Date | null; now: Date }>`
    SELECT (SELECT max(seq) FROM audit_link) AS linked,
           (SELECT e.at FROM audit_link l JOIN audit_event e ON e.id = l.event_id ORDER BY l.seq DESC LIMIT 1) AS last_at,
           (SELECT count(*) FROM audit_pending) AS waiting,
           (SELECT e.at FROM audit_pending p JOIN audit_event e ON e.id = p.event_id ORDER BY p.event_id LIMIT 1) AS oldest_at,
           now() AS now`.execute(db);
  const r = row.rows[0]!;
  return {
    linked: Number(r.linked ?? 0),
    waiting: Number(r.waiting),
    oldestWaitingSeconds: r.oldest_at ? Math.max(0, (r.now.getTime() - r.oldest_at.getTime()) / 1000) : null,
    lastLinkedEventAt: r.last_at ? r.last_at.toISOString() : null,
  };
}

/** Result of walking the chain. */
export interface AuditVerification {
  checked: number;
  broken: { id: string; reason: ChainBreak['reason'] | 'event_missing' | 'unlinked' } | null;
}

/**
 * Links what is waiting, then walks the whole chain in `seq` order, in pages, recomputing every hash, and reports
 * the first broken link: a link whose event is gone (`event_missing`), a hash that does not match its event or
 * the one before (`hash_mismatch`, `prev_hash_mismatch`). Last, an event that is neither linked nor waiting to be
 * (its link was removed) is `unlinked`.
 */
export async function verifyAuditTrail(db: Kysely<Database>, pageSize = 5000): Promise<AuditVerification> {
  await linkPendingAudit(db);
  const state = { prevHash: GENESIS_HASH };
  let after = '0';
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_link as l')
      .leftJoin('audit_event as e', 'e.id', 'l.event_id')
      .select(['l.seq', 'l.event_id', 'l.prev_hash', 'l.hash', 'e.id', 'e.at', 'e.actor_id', 'e.action', 'e.entity_type', 'e.entity_id', 'e.office_id', 'e.purpose', 'e.request_id', 'e.outcome', 'e.changed_fields', 'e.details'])
      .where('l.seq', '>', after)
      .orderBy('l.seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    const events: StoredAuditEvent[] = [];
    let missing: string | null = null;
    for (const r of rows) {
      if (r.id === null || r.at === null || r.action === null || r.entity_type === null || r.outcome === null || r.changed_fields === null || r.details === null) {
        missing = r.event_id;
        break;
      }
      const fields = { at: r.at, actor_id: r.actor_id, action: r.action, entity_type: r.entity_type, entity_id: r.entity_id, office_id: r.office_id, purpose: r.purpose, request_id: r.request_id, outcome: r.outcome, changed_fields: r.changed_fields, details: r.details };
      events.push({ ...storedChainFields(fields), id: r.id, prevHash: r.prev_hash, hash: r.hash });
    }
    const broken = verifyAuditChain(events, state);
    // Count only the events before the break as checked.
    if (broken) return { checked: checked + events.findIndex((e) => e.id === broken.id), broken };
    if (missing !== null) return { checked: checked + events.length, broken: { id: missing, reason: 'event_missing' } };
    checked += rows.length;
    after = rows[rows.length - 1]!.seq;
  }
  const unlinked = await db
    .selectFrom('audit_event as e')
    .select('e.id')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('audit_link as l').select('l.seq').whereRef('l.event_id', '=', 'e.id'))))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('audit_pending as p').select('p.event_id').whereRef('p.event_id', '=', 'e.id'))))
    .orderBy('e.id')
    .limit(1)
    .executeTakeFirst();
  if (unlinked) return { checked, broken: { id: unlinked.id, reason: 'unlinked' } };
  return { checked, broken: null };
}
