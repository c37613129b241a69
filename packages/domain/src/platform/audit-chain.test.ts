import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GENESIS_HASH, auditEventHash, verifyAuditChain, type AuditChainFields, type StoredAuditEvent } from './audit-chain.ts';

const base: AuditChainFields = {
  at: '2026-11-26T10:00:00.000Z', actorId: 'u1', action: 'user.update', entityType: 'user', entityId: 'u2',
  officeId: null, purpose: null, requestId: 'r1', outcome: 'success', changedFields: ['displayName'], details: { b: 1, a: { d: 2, c: 3 } },
};

function chain(n: number): StoredAuditEvent[] {
  const out: StoredAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const e = { ...base, entityId: `u${i}` };
    const hash = auditEventHash(prev, e);
    out.push({ ...e, id: String(i + 1), prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('hashes canonical JSON: key order does not matter, every field does', () => {
    const h = auditEventHash(GENESIS_HASH, base);
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(auditEventHash(GENESIS_HASH, { ...base, details: { a: { c: 3, d: 2 }, b: 1 } }), h);
    for (const change of [{ action: 'user.delete' }, { at: '2026-11-26T10:00:00.001Z' }, { changedFields: ['email'] }, { outcome: 'failure' as const }, { details: { b: 2, a: { d: 2, c: 3 } } }]) {
      assert.notEqual(auditEventHash(GENESIS_HASH, { ...base, ...change }), h, JSON.stringify(change));
    }
    assert.notEqual(auditEventHash('1'.repeat(64), base), h);
  });

  it('ignores properties outside the covered fields (a stored row carries id and hash)', () => {
    const withExtras = { ...base, id: '9', hash: 'x', prevHash: 'y' } as AuditChainFields;
    assert.equal(auditEventHash(GENESIS_HASH, withExtras), auditEventHash(GENESIS_HASH, base));
  });

  it('verifies an intact chain, in pages', () => {
    const events = chain(10);
    const state = { prevHash: GENESIS_HASH };
    assert.equal(verifyAuditChain(events.slice(0, 4), state), null);
    assert.equal(verifyAuditChain(events.slice(4), state), null);
  });

  it('reports the first edited, removed or reordered event', () => {
    const edited = chain(6);
    edited[3] = { ...edited[3]!, entityId: 'forged' };
    assert.deepEqual(verifyAuditChain(edited), { id: '4', reason: 'hash_mismatch' });
    const removed = chain(6).filter((e) => e.id !== '3');
    assert.deepEqual(verifyAuditChain(removed), { id: '4', reason: 'prev_hash_mismatch' });
    const swapped = chain(6);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    assert.deepEqual(verifyAuditChain(swapped), { id: '3', reason: 'prev_hash_mismatch' });
  });
});
