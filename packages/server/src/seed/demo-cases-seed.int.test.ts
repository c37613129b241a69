import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAuditTrail } from '../platform/audit.ts';
import { createTestApp, type TestApp } from '../testing.ts';
import { seedDemoCases } from './demo-cases-seed.ts';
import { seedDemoPeople } from './demo-people-seed.ts';

describe('demo cases', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('opens cases of both types at different stages through the case services, with an intact audit trail', async () => {
    await seedDemoPeople(t.database.db, t.deps.encryption, { households: 300 });
    const opened = await seedDemoCases(t.database.db, t.deps.encryption);
    assert.ok(opened >= 10, `opened ${opened}`);
    const rows = await t.database.db.selectFrom('case_file').select(['type', 'status', 'opened_at', 'closed_at', 'details_sealed']).execute();
    const statuses = new Set(rows.map((r) => `${r.type}:${r.status}`));
    for (const s of ['migrant_assistance:intake', 'migrant_assistance:assessment', 'migrant_assistance:plan_review', 'migrant_assistance:in_progress', 'migrant_assistance:closed', 'counter_trafficking:identification', 'counter_trafficking:assessment', 'counter_trafficking:assistance']) assert.ok(statuses.has(s), s);
    assert.ok(rows.filter((r) => r.type === 'counter_trafficking').every((r) => r.details_sealed));
    assert.ok(rows.every((r) => !r.closed_at || r.closed_at >= r.opened_at));
    const sl = await t.database.db.selectFrom('case_file as c').innerJoin('office as o', 'o.id', 'c.office_id').select('c.id').where('o.code', '=', 'DEMO-SL').execute();
    assert.ok(sl.length >= 1, 'Southland has a case of its own');
    const pending = await t.database.db.selectFrom('case_transfer').select('id').where('status', '=', 'pending').execute();
    assert.equal(pending.length, 1);
    assert.equal((await verifyAuditTrail(t.database.db)).broken, null);
  });
});
