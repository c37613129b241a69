import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RegistrationSchema, isoDay } from '@passage/domain';
import { DEMO_NEAR_DUPLICATES, nearDuplicates } from './demo-people-seed.ts';
import { demoHouseholds } from './people.ts';

it('the demo registers a few heads twice, each with a typo, as households of one', () => {
  const officeIds = ['0b6f6a0e-4a55-4d3c-9a57-1f1d3c0a0001'];
  const regs = [...demoHouseholds({ seed: 2026, households: 50, officeIds, today: isoDay(new Date()) })].map((r) => RegistrationSchema.parse(r));
  const dups = nearDuplicates(regs, DEMO_NEAR_DUPLICATES);
  assert.equal(dups.length, DEMO_NEAR_DUPLICATES);
  for (const d of dups) {
    assert.equal(d.members.length, 1);
    const m = d.members[0]!;
    assert.equal(m.relationship, 'head');
    assert.equal(m.externalId ?? null, null, 'no external id twice at one office');
    const original = regs.flatMap((r) => r.members).find((o) => o.relationship === 'head' && o.familyName === m.familyName && o.givenName !== m.givenName && o.givenName.length === m.givenName.length + 1);
    assert.ok(original, `${m.givenName} ${m.familyName ?? ''} is a near-duplicate of a registered head`);
  }
  assert.deepEqual(nearDuplicates(regs, DEMO_NEAR_DUPLICATES), dups, 'deterministic');
});
