import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { verifyAuditTrail, writeAudit, writeAuditEvents, writeAuditNow } from './audit.ts';

describe('audit trail', () => {
  let d: TestDatabase;
  before(async () => {
    d = await createTestDatabase();
  });
  after(() => d.close());

  it('chains events by hash and verifies an intact chain', async () => {
    for (let i = 0; i < 25; i++) {
      await d.db.transaction().execute((trx) => writeAudit(trx, { actorId: null, action: 'test.event', entityType: 'thing', entityId: String(i), changedFields: ['b', 'a'], details: { i, nested: { z: 1, a: [1, 'x'] } } }));
    }
    const rows = await d.db.selectFrom('audit_event').select(['id', 'prev_hash', 'hash', 'changed_fields']).orderBy('id').execute();
    assert.equal(rows[0]!.prev_hash, '0'.repeat(64));
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i]!.prev_hash, rows[i - 1]!.hash);
    assert.deepEqual(rows[0]!.changed_fields, ['a', 'b']);
    assert.deepEqual(await verifyAuditTrail(d.db, 7), { checked: 25, broken: null });
  });

  it('keeps one unbroken chain under concurrent writers', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => d.db.transaction().execute((trx) => writeAudit(trx, { actorId: null, action: 'test.concurrent', entityType: 'thing', entityId: String(i) }))));
    assert.equal((await verifyAuditTrail(d.db)).broken, null);
  });

  it('groups concurrent writeAuditNow calls into shared transactions, every event committed before its call resolves, one chain', async () => {
    const before = await d.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const calls = Array.from({ length: 60 }, (_, i) =>
      writeAuditNow(d.db, { actorId: null, action: 'test.grouped', entityType: 'thing', entityId: String(i) }).then(async () => {
        // Resolved means committed: another connection sees the event at once.
        const seen = await d.db.selectFrom('audit_event').select('id').where('action', '=', 'test.grouped').where('entity_id', '=', String(i)).executeTakeFirst();
        assert.ok(seen, `event ${i} is committed when its call resolves`);
      }),
    );
    // A writer inside its own transaction interleaves with the groups.
    await Promise.all([...calls, d.db.transaction().execute((trx) => writeAuditEvents(trx, [{ actorId: null, action: 'test.tx', entityType: 'thing' }, { actorId: null, action: 'test.tx', entityType: 'thing' }]))]);
    const grouped = await sql<{ events: string; transactions: string }>`SELECT count(*) AS events, count(DISTINCT xmin::text) AS transactions FROM audit_event WHERE action = 'test.grouped'`.execute(d.db);
    assert.equal(Number(grouped.rows[0]!.events), 60);
    assert.ok(Number(grouped.rows[0]!.transactions) < 60, `60 concurrent events share transactions (${grouped.rows[0]!.transactions} used)`);
    const after = await d.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n) - Number(before.n), 62);
    assert.equal((await verifyAuditTrail(d.db, 13)).broken, null);
  });

  it('an event that cannot be written fails its own call only, not the others of its group', async () => {
    const bad = { actorId: 'not-a-uuid', action: 'test.bad', entityType: 'thing' };
    const results = await Promise.allSettled([
      writeAuditNow(d.db, { actorId: null, action: 'test.good', entityType: 'thing', entityId: 'a' }),
      writeAuditNow(d.db, { actorId: null, action: 'test.good', entityType: 'thing', entityId: 'b' }),
      writeAuditNow(d.db, bad),
      writeAuditNow(d.db, { actorId: null, action: 'test.good', entityType: 'thing', entityId: 'c' }),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    assert.equal((await d.db.selectFrom('audit_event').select('id').where('action', '=', 'test.good').execute()).length, 3);
    assert.equal((await verifyAuditTrail(d.db)).broken, null);
  });

  it('refuses UPDATE, DELETE and TRUNCATE at the database', async () => {
    await assert.rejects(sql`UPDATE audit_event SET action = 'forged' WHERE id = (SELECT min(id) FROM audit_event)`.execute(d.db), /append-only/);
    await assert.rejects(sql`DELETE FROM audit_event`.execute(d.db), /append-only/);
    await assert.rejects(sql`TRUNCATE audit_event`.execute(d.db), /append-only/);
  });

  it('finds the first broken link when a row is edited behind the trigger', async () => {
    const target = await d.db.selectFrom('audit_event').select('id').orderBy('id').offset(10).limit(1).executeTakeFirstOrThrow();
    // What an attacker with superuser access would do: switch the trigger off, edit, switch it back on.
    await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(d.db);
    await sql`UPDATE audit_event SET entity_id = 'forged' WHERE id = ${target.id}`.execute(d.db);
    await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(d.db);
    const result = await verifyAuditTrail(d.db, 4);
    assert.deepEqual(result.broken, { id: target.id, reason: 'hash_mismatch' });
    assert.equal(result.checked, 10);
  });

  it('finds a deleted row as a broken link in the next one', async () => {
    const fresh = await createTestDatabase();
    try {
      for (let i = 0; i < 5; i++) await fresh.db.transaction().execute((trx) => writeAudit(trx, { actorId: null, action: 'x', entityType: 'y' }));
      const rows = await fresh.db.selectFrom('audit_event').select('id').orderBy('id').execute();
      await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(fresh.db);
      await sql`DELETE FROM audit_event WHERE id = ${rows[2]!.id}`.execute(fresh.db);
      const result = await verifyAuditTrail(fresh.db);
      assert.deepEqual(result.broken, { id: rows[3]!.id, reason: 'prev_hash_mismatch' });
    } finally {
      await fresh.close();
    }
  });
});
