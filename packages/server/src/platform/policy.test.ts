import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Policy, type CaseFacts, type Principal } from './policy.ts';

/** Case access decided by the one policy module: own, team, office supervisor, restricted types, break glass. */
describe('case access', () => {
  const offices = [
    { id: 'hq', parentId: null },
    { id: 'nl', parentId: 'hq' },
    { id: 'port', parentId: 'nl' },
    { id: 'sl', parentId: 'hq' },
  ];
  const policy = new Policy(offices);
  const user = (userId: string, ...grants: [string, Principal['grants'][number]['role']][]): Principal => ({ userId, grants: grants.map(([officeId, role]) => ({ officeId, role })) });
  const facts = (over: Partial<CaseFacts> = {}): CaseFacts => ({ officeId: 'port', sensitivity: 'standard', team: 'protection', ownerId: 'owner', supervisorId: null, memberIds: [], breakGlassUntil: null, ...over });
  const worker = user('w', ['nl', 'caseworker']);
  const supervisor = user('s', ['nl', 'case_supervisor']);
  const now = new Date('2026-11-27T12:00:00Z');

  it('a caseworker sees their own cases and their team\'s, not others\' in the office', () => {
    assert.equal(policy.caseAccess(worker, [], facts({ ownerId: 'w' }), now).via, 'worker');
    assert.equal(policy.caseAccess(worker, [{ officeId: 'nl', team: 'protection' }], facts(), now).via, 'team');
    assert.equal(policy.caseAccess(worker, [], facts(), now).see, false);
    assert.equal(policy.caseAccess(worker, [{ officeId: 'sl', team: 'protection' }], facts(), now).see, false);
  });
  it('supervisors see standard cases of their offices; restricted ones only as a count unless in the team', () => {
    const std = policy.caseAccess(supervisor, [], facts(), now);
    assert.deepEqual([std.see, std.canSupervise], [true, true]);
    const ct = policy.caseAccess(supervisor, [], facts({ sensitivity: 'restricted', team: 'counter_trafficking' }), now);
    assert.deepEqual([ct.see, ct.countOnly, ct.mayBreakGlass], [false, true, true]);
    const inTeam = policy.caseAccess(supervisor, [{ officeId: 'nl', team: 'counter_trafficking' }], facts({ sensitivity: 'restricted', team: 'counter_trafficking' }), now);
    assert.deepEqual([inTeam.see, inTeam.canSupervise], [true, true]);
  });
  it('a restricted case is invisible to a caseworker outside its team (not even counted); break glass opens it read-only until it expires', () => {
    const ct = facts({ sensitivity: 'restricted', team: 'counter_trafficking' });
    const none = policy.caseAccess(worker, [{ officeId: 'nl', team: 'protection' }], ct, now);
    assert.deepEqual([none.see, none.countOnly, none.mayBreakGlass], [false, false, true]);
    const glass = policy.caseAccess(worker, [], { ...ct, breakGlassUntil: new Date('2026-11-27T13:00:00Z') }, now);
    assert.deepEqual([glass.see, glass.via, glass.canWork], [true, 'break_glass', false]);
    assert.equal(policy.caseAccess(worker, [], { ...ct, breakGlassUntil: new Date('2026-11-27T11:59:59Z') }, now).see, false);
  });
  it('nothing outside the offices where one reads cases, whatever else holds', () => {
    assert.equal(policy.caseAccess(user('w', ['sl', 'caseworker']), [{ officeId: 'nl', team: 'protection' }], facts({ ownerId: 'w' }), now).see, false);
    assert.equal(policy.caseAccess(user('v', ['nl', 'viewer']), [], facts({ ownerId: 'v' }), now).see, false);
    assert.equal(policy.caseAccess(user('d', ['hq', 'data_protection_officer']), [], facts(), now).mayBreakGlass, false);
  });
  it('the list scope carries the same offices and teams', () => {
    const scope = policy.caseScope(worker, [{ officeId: 'nl', team: 'protection' }, { officeId: 'sl', team: 'protection' }]);
    assert.deepEqual(scope.readOffices.sort(), ['nl', 'port']);
    assert.deepEqual(scope.superviseOffices, []);
    assert.deepEqual(scope.teams, [{ team: 'protection', offices: ['nl', 'port'] }]);
  });
});
