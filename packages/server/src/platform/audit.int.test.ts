import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { migrateTo, migrateToLatest } from '@passage/db';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { GENESIS_HASH, auditEventHash } from '@passage/domain/platform/audit-chain';
import { linkPendingAudit, startAuditLinker, verifyAuditTrail, writeAudit, writeAuditEvents, writeAuditNow } from './audit.ts';

const count = async (d: TestDatabase, table: 'audit_event' | 'audit_link' | 'audit_pending') =>
  Number((await d.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

/** The chain as stored: one link per event, seq 1..n without gaps, each link's prev_hash the hash before it. */
async function assertOneChain(d: TestDatabase): Promise<void> {
  const links = await d.db.selectFrom('audit_link').selectAll().orderBy('seq').execute();
  assert.equal(links.length, await count(d, 'audit_event'), 'every event is linked once');
  assert.equal(new Set(links.map((l) => l.event_id)).size, links.length);
  links.forEach((l, i) => {
    assert.equal(l.seq, String(i + 1));
    assert.equal(l.prev_hash, i === 0 ? GENESIS_HASH : links[i - 1]!.hash, `link ${l.seq} follows the one before (no fork)`);
  });
}

describe('audit trail', () => {
  let d: TestDatabase;
  before(async () => {
    d = await createTestDatabase();
  });
  after(() => d.close());

  it('queues events at commit, chains them by hash in the linker, and verifies an intact chain', async () => {
    for (let i = 0; i < 25; i++) {
      await d.db.transaction().execute((trx) => writeAudit(trx, { actorId: null, action: 'test.event', entityType: 'thing', entityId: String(i), changedFields: ['b', 'a'], details: { i, nested: { z: 1, a: [1, 'x'] } } }));
    }
    assert.equal(await count(d, 'audit_pending'), 25, 'committed events wait for the linker');
    assert.equal(await count(d, 'audit_link'), 0);
    assert.equal(await linkPendingAudit(d.db), 25);
    assert.equal(await count(d, 'audit_pending'), 0);
    await assertOneChain(d);
    const rows = await d.db.selectFrom('audit_event as e').innerJoin('audit_link as l', 'l.event_id', 'e.id').selectAll().orderBy('l.seq').execute();
    assert.deepEqual(rows[0]!.changed_fields, ['a', 'b']);
    // Each hash is the domain's hash of the stored event over the one before.
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const hash = auditEventHash(prev, { at: r.at.toISOString(), actorId: r.actor_id, action: r.action, entityType: r.entity_type, entityId: r.entity_id, officeId: r.office_id, purpose: r.purpose, requestId: r.request_id, outcome: r.outcome, changedFields: r.changed_fields, details: r.details });
      assert.equal(r.hash, hash);
      prev = hash;
    }
    assert.deepEqual(await verifyAuditTrail(d.db, 7), { checked: 25, broken: null });
  });

  it('keeps one unbroken chain under concurrent writers and concurrent linkers', async () => {
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => d.db.transaction().execute((trx) => writeAudit(trx, { actorId: null, action: 'test.concurrent', entityType: 'thing', entityId: String(i) }))),
      ...Array.from({ length: 6 }, () => linkPendingAudit(d.db)),
      ...Array.from({ length: 6 }, () => linkPendingAudit(d.db, { wait: false })),
    ]);
    await linkPendingAudit(d.db);
    await assertOneChain(d);
    assert.equal((await verifyAuditTrail(d.db)).broken, null);
  });

  it('writers do not wait for each other: an open transaction with an event does not hold up another commit', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let wrote!: () => void;
    const written = new Promise<void>((r) => (wrote = r));
    const slow = d.db.transaction().execute(async (trx) => {
      await writeAudit(trx, { actorId: null, action: 'test.slow', entityType: 'thing' });
      wrote();
      await held;
    });
    await written;
    // With the old in-transaction chain this waited for the advisory lock until `slow` committed.
    await d.db.transaction().execute((trx) => writeAudit(trx, { actorId: null, action: 'test.fast', entityType: 'thing' }));
    const ids = await d.db.selectFrom('audit_event').select(['id', 'action']).where('action', 'in', ['test.slow', 'test.fast']).execute();
    assert.deepEqual(ids.map((r) => r.action), ['test.fast'], 'the later writer committed while the earlier one is still open');
    // The later event is linked first; the earlier one (smaller id) when it commits.
    await linkPendingAudit(d.db);
    release();
    await slow;
    await linkPendingAudit(d.db);
    const order = await d.db.selectFrom('audit_link as l').innerJoin('audit_event as e', 'e.id', 'l.event_id').select(['e.action', 'e.id']).where('e.action', 'in', ['test.slow', 'test.fast']).orderBy('l.seq').execute();
    assert.deepEqual(order.map((r) => r.action), ['test.fast', 'test.slow']);
    assert.ok(BigInt(order[1]!.id) < BigInt(order[0]!.id), 'chain order is commit order, not id order');
    await assertOneChain(d);
    assert.equal((await verifyAuditTrail(d.db)).broken, null);
  });

  it('a rolled-back change leaves neither an event nor a queue entry', async () => {
    const before = [await count(d, 'audit_event'), await count(d, 'audit_pending')];
    await assert.rejects(
      d.db.transaction().execute(async (trx) => {
        await writeAudit(trx, { actorId: null, action: 'test.rolled_back', entityType: 'thing' });
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.deepEqual([await count(d, 'audit_event'), await count(d, 'audit_pending')], before);
  });

  it('the server-side linker chains committed events within its interval', async () => {
    const linker = startAuditLinker(d.db, 20);
    try {
      await writeAuditNow(d.db, { actorId: null, action: 'test.background', entityType: 'thing' });
      const deadline = Date.now() + 10_000;
      while ((await count(d, 'audit_pending')) > 0) {
        assert.ok(Date.now() < deadline, 'linked within 10 s');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await linker.stop();
    }
    await assertOneChain(d);
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

  it('refuses UPDATE, DELETE and TRUNCATE of events and links at the database', async () => {
    await assert.rejects(sql`UPDATE audit_event SET action = 'forged' WHERE id = (SELECT min(id) FROM audit_event)`.execute(d.db), /append-only/);
    await assert.rejects(sql`DELETE FROM audit_event`.execute(d.db), /append-only/);
    await assert.rejects(sql`TRUNCATE audit_event`.execute(d.db), /append-only/);
    await assert.rejects(sql`UPDATE audit_link SET hash = 'forged' WHERE seq = 1`.execute(d.db), /append-only/);
    await assert.rejects(sql`DELETE FROM audit_link`.execute(d.db), /append-only/);
    await assert.rejects(sql`TRUNCATE audit_link`.execute(d.db), /append-only/);
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

  it('finds a deleted event, a deleted event with its link, and an event whose link was removed', async () => {
    const fresh = await createTestDatabase();
    const tamper = async (...statements: ReturnType<typeof sql>[]) => {
      await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(fresh.db);
      await sql`ALTER TABLE audit_link DISABLE TRIGGER audit_link_no_update`.execute(fresh.db);
      for (const statement of statements) await statement.execute(fresh.db);
      await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(fresh.db);
      await sql`ALTER TABLE audit_link ENABLE TRIGGER audit_link_no_update`.execute(fresh.db);
    };
    try {
      for (let i = 0; i < 8; i++) await fresh.db.transaction().execute((trx) => writeAudit(trx, { actorId: null, action: 'x', entityType: 'y' }));
      assert.deepEqual(await verifyAuditTrail(fresh.db), { checked: 8, broken: null });
      const rows = await fresh.db.selectFrom('audit_event').select('id').orderBy('id').execute();
      // The last link removed: its event is neither linked nor waiting.
      await tamper(sql`DELETE FROM audit_link WHERE event_id = ${rows[7]!.id}`);
      assert.deepEqual(await verifyAuditTrail(fresh.db), { checked: 7, broken: { id: rows[7]!.id, reason: 'unlinked' } });
      // An event deleted, its link left: the link points at nothing.
      await tamper(sql`DELETE FROM audit_event WHERE id = ${rows[5]!.id}`);
      assert.deepEqual(await verifyAuditTrail(fresh.db), { checked: 5, broken: { id: rows[5]!.id, reason: 'event_missing' } });
      // An event and its link deleted: the next link no longer follows the one before.
      await tamper(sql`DELETE FROM audit_event WHERE id = ${rows[2]!.id}`, sql`DELETE FROM audit_link WHERE event_id = ${rows[2]!.id}`);
      assert.deepEqual(await verifyAuditTrail(fresh.db), { checked: 2, broken: { id: rows[3]!.id, reason: 'prev_hash_mismatch' } });
    } finally {
      await fresh.close();
    }
  });

  it('the migration keeps the chain written before it, and new events extend it', async () => {
    const fresh = await createTestDatabase({ migrate: false });
    try {
      await migrateTo(fresh.db, '2026_11_27_0009_case_read_indexes');
      // Events as the old writer stored them: the links in the row, in id order.
      let prev = GENESIS_HASH;
      for (let i = 0; i < 5; i++) {
        const fields = { at: new Date(Date.UTC(2026, 10, 27, 12, 0, i)).toISOString(), actorId: null, action: 'old.event', entityType: 'thing', entityId: String(i), officeId: null, purpose: null, requestId: null, outcome: 'success' as const, changedFields: [], details: { i } };
        const hash = auditEventHash(prev, fields);
        await sql`INSERT INTO audit_event (at, action, entity_type, entity_id, outcome, details, prev_hash, hash) VALUES (${fields.at}, 'old.event', 'thing', ${String(i)}, 'success', ${JSON.stringify({ i })}::jsonb, ${prev}, ${hash})`.execute(fresh.db);
        prev = hash;
      }
      await migrateToLatest(fresh.db);
      assert.equal(await count(fresh, 'audit_link'), 5);
      assert.equal(await count(fresh, 'audit_pending'), 0);
      await fresh.db.transaction().execute((trx) => writeAudit(trx, { actorId: null, action: 'new.event', entityType: 'thing' }));
      assert.deepEqual(await verifyAuditTrail(fresh.db), { checked: 6, broken: null });
      const sixth = await fresh.db.selectFrom('audit_link').select('prev_hash').where('seq', '=', '6').executeTakeFirstOrThrow();
      assert.equal(sixth.prev_hash, prev, 'the first new link follows the last old one');
      // And back down: the links return to the rows, and the old function is there again.
      await migrateTo(fresh.db, '2026_11_27_0009_case_read_indexes');
      const back = await sql<{ n: string }>`SELECT count(*) AS n FROM audit_event WHERE hash IS NOT NULL`.execute(fresh.db);
      assert.equal(back.rows[0]!.n, '6');
      await migrateToLatest(fresh.db);
      assert.deepEqual(await verifyAuditTrail(fresh.db), { checked: 6, broken: null });
    } finally {
      await fresh.close();
    }
  });
});
