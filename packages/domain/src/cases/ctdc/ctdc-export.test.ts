import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CTDC_COLUMNS,
  CTDC_FLAG_COLUMNS,
  CTDC_QI_COLUMNS,
  buildCtdcExport,
  ctdcAgeBroad,
  ctdcCountry,
  ctdcGender,
  ctdcTraffickMonths,
  mapToCtdcRow,
  toCsv,
  type CtCaseForPublication,
  type CtdcRow,
} from './index.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

function record(over: Partial<CtCaseForPublication> = {}): CtCaseForPublication {
  return {
    registeredOn: '2020-03-15',
    ageAtRegistration: 25,
    gender: 'female',
    citizenship: 'NGA',
    countryOfExploitation: 'ITA',
    exploitationMonths: 6,
    exploitationTypes: [],
    forcedLabourIndustries: [],
    sexExploitationTypes: [],
    meansOfControl: [],
    recruiterRelation: [],
    ...over,
  };
}

function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

/** The size of the smallest QI group in the rows (Infinity for no rows). */
function smallestGroup(rows: readonly CtdcRow[]): number {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = JSON.stringify(CTDC_QI_COLUMNS.map((c) => row[c]));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Math.min(...counts.values());
}

/** The flags and traffickMonths of a row: what is published as is. */
function nonQi(row: CtdcRow): string {
  return JSON.stringify([row.traffickMonths, ...CTDC_FLAG_COLUMNS.map((c) => row[c])]);
}

function multiset(values: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

// Random records: small value pools, so groups form; unknowns and invalid codes included.
const subsetOf = (codes: readonly string[]) => fc.subarray([...codes]);
const countryArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('SYR', 'AFG', 'UKR') },
  { weight: 3, arbitrary: fc.constantFrom('ERI', 'SOM', 'MMR', 'COL', 'NGA', 'VNM', 'PHL', 'ITA') },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('XYZ', 'syr', '', 'A,B') },
);
const recordArb: fc.Arbitrary<CtCaseForPublication> = fc.record({
  registeredOn: fc
    .tuple(fc.integer({ min: 2012, max: 2026 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  ageAtRegistration: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null, freq: 8 }),
  gender: fc.constantFrom('female', 'male', 'other', 'unknown'),
  citizenship: countryArb,
  countryOfExploitation: countryArb,
  exploitationMonths: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
  exploitationTypes: subsetOf(['forced_labour', 'sexual_exploitation', 'child_labour', 'forced_marriage', 'other']),
  forcedLabourIndustries: subsetOf(['agriculture', 'construction', 'domestic_work', 'hospitality', 'fishing']),
  sexExploitationTypes: subsetOf(['prostitution', 'pornography', 'other']),
  meansOfControl: subsetOf(['debt_bondage', 'threats', 'physical_abuse', 'false_promises', 'isolation']),
  recruiterRelation: subsetOf(['intimate_partner', 'friend', 'family', 'other', 'unknown']),
});
/** Uniform-ish inputs, and skewed ones: each record repeated 1–30 times (a few big groups, many small). */
const recordsArb = fc.oneof(
  fc.array(recordArb, { maxLength: 400 }),
  fc.array(fc.tuple(recordArb, fc.integer({ min: 1, max: 30 })), { maxLength: 60 }).map((pairs) => pairs.flatMap(([r, n]) => times(n, () => r))),
);
const kArb = fc.integer({ min: 2, max: 15 });

/** A small deterministic generator for the large test (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------

describe('CTDC mapping of one record', () => {
  it('puts ages in the codebook bands, at every boundary', () => {
    const cases: Array<[number | null, string]> = [
      [0, '0--8'], [8, '0--8'], [9, '9--17'], [17, '9--17'], [18, '18--20'], [20, '18--20'], [21, '21--23'], [23, '21--23'],
      [24, '24--26'], [26, '24--26'], [27, '27--29'], [29, '27--29'], [30, '30--38'], [38, '30--38'], [39, '39--47'],
      [47, '39--47'], [48, '48+'], [97, '48+'], [17.9, '9--17'], [null, ''], [-1, ''], [Number.NaN, ''],
    ];
    for (const [age, band] of cases) assert.equal(ctdcAgeBroad(age), band, String(age));
  });

  it('maps registry sex to CTDC gender', () => {
    assert.equal(ctdcGender('female'), 'Woman');
    assert.equal(ctdcGender('male'), 'Man');
    assert.equal(ctdcGender('other'), 'Trans/Transgender/NonConforming');
    assert.equal(ctdcGender('unknown'), '');
  });

  it('bands the months of exploitation', () => {
    const cases: Array<[number | null, string]> = [
      [0, '0--12 (0-1 yr)'], [12, '0--12 (0-1 yr)'], [12.5, '13--24 (1-2 yrs)'], [13, '13--24 (1-2 yrs)'], [24, '13--24 (1-2 yrs)'],
      [25, '25+ (2+ yrs)'], [240, '25+ (2+ yrs)'], [null, ''], [-3, ''],
    ];
    for (const [months, band] of cases) assert.equal(ctdcTraffickMonths(months), band, String(months));
  });

  it('keeps only valid alpha-3 country codes', () => {
    assert.equal(ctdcCountry('SYR'), 'SYR');
    assert.equal(ctdcCountry(' syr '), 'SYR');
    for (const bad of [null, '', 'XYZ', 'SY', 'A,B', '=1+1']) assert.equal(ctdcCountry(bad), '', String(bad));
  });

  it('takes the year of registration and refuses a non-date', () => {
    assert.equal(mapToCtdcRow(record({ registeredOn: '2019-12-31' })).yearOfRegistration, '2019');
    for (const bad of ['2019-02-30', '2019', '', '19-01-01']) assert.throws(() => mapToCtdcRow(record({ registeredOn: bad })), RangeError, bad);
    assert.throws(() => buildCtdcExport([record(), record({ registeredOn: 'x' })]), /record 1/);
  });

  it('sets the means-of-control flags', () => {
    const flagsOf = (codes: string[]) => {
      const row = mapToCtdcRow(record({ meansOfControl: codes }));
      return CTDC_FLAG_COLUMNS.filter((c) => c.startsWith('means') && row[c] === 1);
    };
    assert.deepEqual(flagsOf([]), []);
    assert.deepEqual(flagsOf(['debt_bondage']), ['meansDebtBondageEarnings']);
    assert.deepEqual(flagsOf(['taking_earnings']), ['meansDebtBondageEarnings']);
    for (const c of ['threats', 'threats_to_family', 'threat_law_enforcement']) assert.deepEqual(flagsOf([c]), ['meansThreats'], c);
    for (const c of ['psychological_abuse', 'physical_abuse', 'sexual_abuse']) assert.deepEqual(flagsOf([c]), ['meansAbusePsyPhySex'], c);
    assert.deepEqual(flagsOf(['false_promises']), ['meansFalsePromises']);
    assert.deepEqual(flagsOf(['drugs_alcohol']), ['meansDrugsAlcohol']);
    assert.deepEqual(flagsOf(['denial_basic_needs']), ['meansDenyBasicNeeds']);
    assert.deepEqual(flagsOf(['excessive_working_hours']), ['meansExcessiveWorkHours']);
    assert.deepEqual(flagsOf(['withholding_documents']), ['meansWithholdDocs']);
    // HTCDS codes without a CTDC flag are not published.
    assert.deepEqual(flagsOf(['restricting_movement', 'isolation', 'other']), []);
  });

  it('sets the exploitation, industry, sex-exploitation and recruiter flags', () => {
    const on = (over: Partial<CtCaseForPublication>) => {
      const row = mapToCtdcRow(record(over));
      return CTDC_FLAG_COLUMNS.filter((c) => row[c] === 1);
    };
    assert.deepEqual(on({ exploitationTypes: ['forced_labour'] }), ['isForcedLabour']);
    assert.deepEqual(on({ exploitationTypes: ['child_labour'] }), ['isForcedLabour']);
    assert.deepEqual(on({ exploitationTypes: ['sexual_exploitation'] }), ['isSexualExploit']);
    for (const t of ['forced_marriage', 'servitude', 'forced_military', 'organ_removal', 'forced_begging', 'forced_adoption', 'surrogacy', 'other']) {
      assert.deepEqual(on({ exploitationTypes: [t] }), ['isOtherExploit'], t);
    }
    assert.deepEqual(on({ exploitationTypes: ['forced_labour', 'sexual_exploitation', 'servitude'] }), ['isForcedLabour', 'isSexualExploit', 'isOtherExploit']);
    assert.deepEqual(on({ forcedLabourIndustries: ['agriculture', 'construction', 'domestic_work', 'hospitality', 'fishing'] }), [
      'typeOfLabourAgriculture',
      'typeOfLabourConstruction',
      'typeOfLabourDomesticWork',
      'typeOfLabourHospitality',
    ]);
    assert.deepEqual(on({ sexExploitationTypes: ['prostitution', 'pornography', 'other'] }), ['typeOfSexProstitution', 'typeOfSexPornography']);
    assert.deepEqual(on({ recruiterRelation: ['intimate_partner', 'friend', 'family', 'other', 'unknown'] }), [
      'recruiterRelationIntimatePartner',
      'recruiterRelationFriend',
      'recruiterRelationFamily',
      'recruiterRelationOther',
    ]);
    const blank = mapToCtdcRow(record());
    for (const c of CTDC_FLAG_COLUMNS) assert.equal(blank[c], null, c);
  });
});

describe('CTDC k-anonymised export', () => {
  it('publishes nothing for no input', () => {
    const out = buildCtdcExport([]);
    assert.deepEqual([out.rows, out.k, out.suppressed, out.published, out.generalisation.level], [[], 11, 0, 0, 0]);
    assert.deepEqual(out.qiColumns, ['yearOfRegistration', 'gender', 'ageBroad', 'citizenship', 'CountryOfExploitation']);
  });

  it('refuses a k below 2 or not whole, and a suppression cap outside 0–1', () => {
    for (const k of [1, 0, -11, 2.5, Number.NaN]) assert.throws(() => buildCtdcExport([], { k }), RangeError, String(k));
    for (const r of [-0.1, 1.5, Number.NaN]) assert.throws(() => buildCtdcExport([], { maxSuppressionRate: r }), RangeError, String(r));
    assert.equal(buildCtdcExport([record(), record()], { k: 2 }).published, 2);
  });

  it('publishes data that is already k-anonymous as it is', () => {
    const input = [...times(11, () => record({ meansOfControl: ['threats'] })), ...times(12, () => record({ gender: 'male', ageAtRegistration: 40 }))];
    const out = buildCtdcExport(input);
    assert.equal(out.generalisation.level, 0);
    assert.equal(out.suppressed, 0);
    assert.equal(out.published, 23);
    const asText = (rows: readonly CtdcRow[]) => rows.map((r) => JSON.stringify(r)).sort();
    assert.deepEqual(asText(out.rows), asText(input.map(mapToCtdcRow)));
    assert.deepEqual(out.generalisation.recodedRows, { gender: 0, citizenship: 0, CountryOfExploitation: 0 });
  });

  it('withholds a rare country rather than suppress its records (local recoding)', () => {
    const input = [...times(30, () => record()), ...times(3, () => record({ citizenship: 'ERI' }))];
    const out = buildCtdcExport(input);
    // The 3 rows become '' citizenship, still fewer than k: no level does better than level 0, so it stays.
    assert.deepEqual([out.generalisation.level, out.suppressed, out.published], [0, 3, 30]);
    const withUnknowns = [...input, ...times(8, () => record({ citizenship: null }))];
    const out2 = buildCtdcExport(withUnknowns);
    assert.equal(out2.generalisation.level, 1);
    assert.equal(out2.suppressed, 0);
    assert.equal(out2.rows.filter((r) => r.citizenship === '').length, 11);
    assert.equal(out2.generalisation.recodedRows.citizenship, 3);
  });

  it('widens age bands when that is what is needed', () => {
    const input = times(22, (i) => record({ ageAtRegistration: 18 + (i % 12) })); // 18–29 spread over four bands
    const out = buildCtdcExport(input);
    assert.equal(out.generalisation.level, 2);
    assert.equal(out.generalisation.ageBroad, 'wide');
    assert.equal(out.suppressed, 0);
    assert.ok(out.rows.every((r) => r.ageBroad === '18--29'));
  });

  it('groups years into fixed three-year periods, then drops them', () => {
    const periods = buildCtdcExport(times(22, (i) => record({ registeredOn: `${2019 + (i % 3)}-05-01` })));
    assert.equal(periods.generalisation.yearOfRegistration, 'three-year period');
    assert.ok(periods.rows.every((r) => r.yearOfRegistration === '2019--2021'));
    const dropped = buildCtdcExport(times(22, (i) => record({ registeredOn: `${2010 + i}-05-01` })));
    assert.equal(dropped.generalisation.level, 5);
    assert.ok(dropped.rows.every((r) => r.yearOfRegistration === '' && r.ageBroad === '18+'));
    assert.equal(dropped.published, 22);
  });

  it('suppresses whole records when nothing else makes all groups big enough', () => {
    // Two common citizenships × two common countries, crossed so that every combination is below k.
    const input = times(22, (i) => record({ citizenship: i < 11 ? 'SYR' : 'AFG', countryOfExploitation: i % 2 ? 'ITA' : 'FRA' }));
    const out = buildCtdcExport(input);
    assert.deepEqual([out.suppressed, out.published, out.rows.length], [22, 0, 0]);
    assert.equal(out.generalisation.withinSuppressionCap, false);
    assert.deepEqual(out.generalisation.tried, times(6, (level) => ({ level, suppressed: 22 })));
    assert.equal(out.generalisation.level, 0); // the first level with the fewest suppressed
  });

  it('stays valid when every record is unique', () => {
    const next = prng(7);
    const unique = times(500, (i) =>
      record({
        registeredOn: `${2000 + (i % 25)}-01-01`,
        ageAtRegistration: i % 80,
        gender: (['female', 'male', 'other', 'unknown'] as const)[i % 4],
        citizenship: ['SYR', 'AFG', 'UKR', 'ERI', 'SOM', 'MMR', 'COL'][Math.floor(next() * 7)]!,
      }),
    );
    const out = buildCtdcExport(unique);
    assert.equal(out.suppressed + out.published, 500);
    assert.ok(out.generalisation.level > 0);
    if (out.published > 0) assert.ok(smallestGroup(out.rows) >= 11);
  });

  it('property: every published QI combination has at least k records', () => {
    fc.assert(
      fc.property(recordsArb, kArb, (records, k) => {
        const out = buildCtdcExport(records, { k });
        if (out.rows.length > 0) assert.ok(smallestGroup(out.rows) >= k);
      }),
    );
  });

  it('property: suppressed + published = input; flags are published unchanged', () => {
    fc.assert(
      fc.property(recordsArb, (records) => {
        const out = buildCtdcExport(records);
        assert.equal(out.suppressed + out.published, records.length);
        assert.equal(out.rows.length, out.published);
        // Each published row's non-QI part comes from an input record (as a multiset).
        const available = multiset(records.map(mapToCtdcRow).map(nonQi));
        for (const [value, n] of multiset(out.rows.map(nonQi))) assert.ok((available.get(value) ?? 0) >= n);
      }),
    );
  });

  it('property: deterministic, and blind to the order of the input', () => {
    fc.assert(
      fc.property(
        recordsArb.chain((records) => fc.tuple(fc.constant(records), fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }))),
        ([records, shuffled]) => {
          const a = buildCtdcExport(records);
          assert.deepEqual(buildCtdcExport(records), a);
          assert.deepEqual(buildCtdcExport(shuffled), a);
        },
      ),
    );
  });

  it('property: records repeated k times are all published with no generalisation', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 30 }), kArb, (records, k) => {
        const out = buildCtdcExport(records.flatMap((r) => times(k, () => r)), { k });
        assert.equal(out.suppressed, 0);
        assert.equal(out.generalisation.level, 0);
      }),
    );
  });

  it('handles 50,000 records', () => {
    const next = prng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const countries = ['SYR', 'AFG', 'UKR', 'ERI', 'SOM', 'MMR', 'COL', 'NGA', 'VNM', 'PHL', 'ITA', 'THA', 'USA', 'MEX', null];
    const records = times(50_000, () =>
      record({
        registeredOn: `${2010 + Math.floor(next() * 15)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
        ageAtRegistration: next() < 0.1 ? null : Math.floor(next() * 70),
        gender: pick(['female', 'male', 'other', 'unknown'] as const),
        // Skewed: a few countries dominate.
        citizenship: next() < 0.6 ? pick(countries.slice(0, 3)) : pick(countries),
        countryOfExploitation: next() < 0.5 ? pick(countries.slice(10, 13)) : pick(countries),
        exploitationMonths: next() < 0.2 ? null : Math.floor(next() * 40),
        exploitationTypes: next() < 0.5 ? ['forced_labour'] : ['sexual_exploitation'],
        meansOfControl: next() < 0.3 ? ['debt_bondage', 'threats'] : [],
      }),
    );
    const out = buildCtdcExport(records);
    assert.equal(out.suppressed + out.published, 50_000);
    assert.ok(out.published > 0);
    assert.ok(smallestGroup(out.rows) >= 11);
  });
});

describe('CTDC CSV', () => {
  it('writes the header in the CTDC column order, flags as 1 or empty', () => {
    const { rows } = buildCtdcExport(times(11, () => record({ meansOfControl: ['debt_bondage'], exploitationTypes: ['forced_labour'] })));
    const lines = toCsv(rows).split('\r\n');
    assert.equal(lines.length, 13); // header, 11 rows, '' after the last CRLF
    assert.equal(lines.at(-1), '');
    assert.equal(lines[0], CTDC_COLUMNS.join(','));
    assert.ok(lines[0]!.startsWith('yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,meansDebtBondageEarnings,'));
    assert.ok(lines[0]!.endsWith(',recruiterRelationIntimatePartner,recruiterRelationFriend,recruiterRelationFamily,recruiterRelationOther'));
    assert.equal(lines[1], `2020,Woman,24--26,NGA,ITA,0--12 (0-1 yr),1,,,,,,,,1${','.repeat(12)}`);
    assert.equal(toCsv([]), `${CTDC_COLUMNS.join(',')}\r\n`);
  });

  it('quotes a field holding a comma, quote or line break', () => {
    const row: CtdcRow = { ...mapToCtdcRow(record()), citizenship: 'A,"B"', CountryOfExploitation: 'C\nD' };
    const line = toCsv([row]).split('\r\n')[1]!;
    assert.ok(line.startsWith('2020,Woman,24--26,"A,""B""","C\nD",'));
  });
});
