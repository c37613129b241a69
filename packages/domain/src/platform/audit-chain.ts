import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The hash that precedes the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an audit event that the hash covers, in storage form. */
export interface AuditChainFields {
  at: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  officeId: string | null;
  purpose: string | null;
  requestId: string | null;
  outcome: 'success' | 'failure';
  changedFields: readonly string[];
  details: Record<string, unknown>;
}

/**
 * SHA-256 over the RFC 8785 canonical JSON of the event and the previous hash.
 * Canonical JSON makes the hash independent of key order and number formatting,
 * so any verifier (this code, a script, another language) gets the same digest.
 */
export function auditEventHash(prevHash: string, event: AuditChainFields): string {
  // Pick the covered fields by name: extra properties (a stored row's id or hash) must not change the digest.
  const body = canonicalize({
    at: event.at,
    actorId: event.actorId,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    officeId: event.officeId,
    purpose: event.purpose,
    requestId: event.requestId,
    outcome: event.outcome,
    changedFields: [...event.changedFields],
    details: event.details,
    prevHash,
  });
  if (body === undefined) throw new Error('Audit event cannot be canonicalised');
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** A stored event: its fields plus the links. */
export interface StoredAuditEvent extends AuditChainFields {
  id: string;
  prevHash: string;
  hash: string;
}

/** Where a chain breaks, and why. */
export interface ChainBreak {
  id: string;
  reason: 'prev_hash_mismatch' | 'hash_mismatch';
}

/**
 * Walks events in chain order, carrying the expected previous hash from one call to the next
 * (so a large table is verified in pages). Returns the first break, or null.
 */
export function verifyAuditChain(
  events: Iterable<StoredAuditEvent>,
  state: { prevHash: string } = { prevHash: GENESIS_HASH },
): ChainBreak | null {
  for (const e of events) {
    if (e.prevHash !== state.prevHash) return { id: e.id, reason: 'prev_hash_mismatch' };
    if (auditEventHash(e.prevHash, e) !== e.hash) return { id: e.id, reason: 'hash_mismatch' };
    state.prevHash = e.hash;
  }
  return null;
}
