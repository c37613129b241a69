import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MATCH_FIELDS, MERGEABLE_FIELDS, type FieldContributionDto } from '@passage/domain/match/api';
import type { MergeDto } from './match-api.ts';
import {
  barPercent,
  comparisonRows,
  contextKey,
  defaultSurvivor,
  differingFields,
  isRunActive,
  levelKey,
  mergedIntoFrom,
  movedEntries,
  offerableFields,
  pairFilters,
  readQueueParams,
  ROW_FIELD,
  unplacedContributions,
  weightDirection,
  weightScale,
  type MergeableValues,
} from './match-view.ts';

const fields: FieldContributionDto[] = [
  { field: 'given', label: 'exact', weight: 6.2, agreement: 'agree' },
  { field: 'middle', label: 'missing', weight: 0, agreement: 'missing' },
  { field: 'family', label: 'jaro-winkler > 0.92', weight: 3.1, agreement: 'partial' },
  { field: 'dob', label: 'day and month swapped', weight: 2.4, agreement: 'partial' },
  { field: 'sex', label: 'disagree', weight: -4.5, agreement: 'disagree' },
  { field: 'nationality', label: 'agree', weight: 0.7, agreement: 'agree' },
  { field: 'document', label: 'missing', weight: 0, agreement: 'missing' },
  { field: 'phone', label: 'one edit', weight: 5, agreement: 'partial' },
];

describe('match view: the side-by-side rows', () => {
  it('puts every engine field on its row and leaves context rows without a contribution', () => {
    const rows = comparisonRows(fields);
    assert.deepEqual(
      rows.map((r) => r.key),
      ['givenName', 'middleName', 'familyName', 'fullNameOriginal', 'sex', 'dateOfBirth', 'nationality', 'documents', 'phones', 'office', 'registrationId'],
    );
    const byKey = new Map(rows.map((r) => [r.key, r]));
    assert.equal(byKey.get('givenName')?.contribution?.agreement, 'agree');
    assert.equal(byKey.get('familyName')?.contribution?.label, 'jaro-winkler > 0.92');
    assert.equal(byKey.get('sex')?.contribution?.weight, -4.5);
    assert.equal(byKey.get('phones')?.contribution?.agreement, 'partial');
    assert.equal(byKey.get('fullNameOriginal')?.contribution, null);
    assert.equal(byKey.get('office')?.field, null);
    assert.equal(byKey.get('registrationId')?.contribution, null);
  });

  it('every engine field has a row, so nothing of the explanation is hidden', () => {
    const placed = new Set(Object.values(ROW_FIELD));
    for (const f of MATCH_FIELDS) assert.ok(placed.has(f), f);
    assert.deepEqual(unplacedContributions(fields), []);
  });

  it('a field missing from the explanation leaves its row without a contribution', () => {
    const rows = comparisonRows(fields.filter((f) => f.field !== 'phone'));
    assert.equal(rows.find((r) => r.key === 'phones')?.contribution, null);
  });

  it('bars share one scale per pair and show direction', () => {
    const scale = weightScale(fields);
    assert.equal(scale, 6.2);
    assert.equal(barPercent(6.2, scale), 100);
    assert.equal(barPercent(-3.1, scale), 50);
    assert.equal(barPercent(0, scale), 0);
    assert.equal(barPercent(Number.NaN, scale), 0);
    assert.equal(barPercent(99, scale), 100, 'capped');
    assert.equal(weightScale([{ weight: 0.2 }]), 1, 'small weights do not blow up the bars');
    assert.equal(weightDirection(2), 'same');
    assert.equal(weightDirection(-0.5), 'different');
    assert.equal(weightDirection(0), 'neutral');
  });

  it('translates the engine labels it knows and leaves the others as sent', () => {
    assert.equal(levelKey('exact'), 'match.level.exact');
    assert.equal(levelKey('jaro-winkler > 0.70'), 'match.level.similar70');
    assert.equal(levelKey('year ±1 (year only known)'), 'match.level.yearPlusMinusOneOnly');
    assert.equal(levelKey('exact (OCR-folded)'), 'match.level.exactOcr');
    assert.equal(levelKey('something new'), null);
    assert.equal(contextKey('same family name'), 'match.context.sameFamily');
    assert.equal(contextKey("same family and father's name"), 'match.context.sameFather');
    assert.equal(contextKey('?'), null);
  });
});

describe('match view: runs and the queue filters', () => {
  it('knows which runs are still going', () => {
    assert.equal(isRunActive('queued'), true);
    assert.equal(isRunActive('running'), true);
    assert.equal(isRunActive('succeeded'), false);
    assert.equal(isRunActive('failed'), false);
    assert.equal(isRunActive('cancelled'), false);
  });

  it('reads filters from the address, ignoring nonsense', () => {
    assert.deepEqual(readQueueParams(new URLSearchParams('')), { status: 'open', officeId: '', minPercent: '', maxPercent: '', page: 1 });
    assert.deepEqual(readQueueParams(new URLSearchParams('status=merged&min=150&max=abc&page=-3&officeId=x')), {
      status: 'merged',
      officeId: 'x',
      minPercent: '100',
      maxPercent: '',
      page: 1,
    });
    assert.equal(readQueueParams(new URLSearchParams('status=bogus')).status, 'open');
  });

  it('turns percentages into probabilities and puts a reversed range in order', () => {
    const q = readQueueParams(new URLSearchParams('status=unsure&min=90&max=40&page=2'));
    assert.deepEqual(pairFilters(q, 25), { status: 'unsure', page: 2, pageSize: 25, minProbability: 0.4, maxProbability: 0.9 });
    assert.deepEqual(pairFilters(readQueueParams(new URLSearchParams('')), 10), { status: 'open', page: 1, pageSize: 10 });
  });
});

describe('match view: merging', () => {
  const a = { id: 'a', registrationId: 'DEMO-000002-X', createdAt: '2024-05-01T10:00:00Z' };
  const b = { id: 'b', registrationId: 'DEMO-000001-X', createdAt: '2023-01-01T10:00:00Z' };

  it('keeps the older registration by default', () => {
    assert.equal(defaultSurvivor(a, b).id, 'b');
    assert.equal(defaultSurvivor(b, a).id, 'b');
    const same = { ...a, createdAt: b.createdAt };
    assert.equal(defaultSurvivor(same, b).id, 'b', 'same time: the smaller registration id');
  });

  const base: MergeableValues = {
    givenName: 'Mohammed',
    middleName: null,
    familyName: 'Al-Hassan',
    fullNameOriginal: 'محمد الحسن',
    sex: 'male',
    dateOfBirth: '1985-03-14',
    nationality: 'SYR',
    countryOfBirth: null,
    phones: ['+963 911 000 111'],
    aliases: [],
  };

  it('lists the fields that differ, and offers only those the other record has', () => {
    const other: MergeableValues = { ...base, givenName: 'Mohamed ', middleName: 'Ahmad', familyName: 'Al-Hassan', countryOfBirth: null, phones: ['+963 911 000 112'], fullNameOriginal: null };
    assert.deepEqual(differingFields(base, other), ['givenName', 'middleName', 'fullNameOriginal', 'phones']);
    assert.deepEqual(offerableFields(base, other), ['givenName', 'middleName', 'phones'], 'an empty value is not offered');
    assert.deepEqual(differingFields(base, { ...base }), []);
    for (const f of differingFields(base, other)) assert.ok((MERGEABLE_FIELDS as readonly string[]).includes(f));
  });

  const merge = (over: Partial<MergeDto>): MergeDto => ({
    id: 'm1',
    survivorId: 's',
    mergedId: 'x',
    pairId: null,
    moved: {},
    takenFromMerged: [],
    reason: 'same person',
    mergedBy: 'u',
    mergedAt: '2026-01-01T00:00:00Z',
    unmergedBy: null,
    unmergedAt: null,
    ...over,
  });

  it('reports what moved, largest first', () => {
    assert.deepEqual(movedEntries({ consents: 1, documents: 2, phones: 0 }), [
      ['documents', 2],
      ['consents', 1],
    ]);
  });

  it('finds the survivor of a merged person, ignoring merges undone', () => {
    assert.equal(mergedIntoFrom([merge({})], 'x'), 's');
    assert.equal(mergedIntoFrom([merge({})], 's'), null, 'the survivor was not merged into anyone');
    assert.equal(mergedIntoFrom([merge({ unmergedAt: '2026-01-02T00:00:00Z' })], 'x'), null);
  });
});
