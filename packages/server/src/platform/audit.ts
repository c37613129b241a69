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

/**
 * The one audit writer. Call it inside the transaction that makes the change, so
 * the change and its event commit together or not at all.
 */
export async function writeAudit(trx: Transaction<Database> | Kysely<Database>, input: AuditInput): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx.selectFrom('audit_event').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: AuditChainFields = {
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
  await trx
    .insertInto('audit_event')
    .values({
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
      hash: auditEventHash(prevHash, fields),
    })
    .execute();
}

/** An audit event written in its own transaction (for failures, whose request transaction rolls back). */
export async function writeAuditNow(db: Kysely<Database>, input: AuditInput): Promise<void> {
  await db.transaction().execute((trx) => writeAudit(trx, input));
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
