import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DOB_PRECISIONS,
  DOCUMENT_TYPES,
  POPULATION_GROUPS,
  PersonCreateSchema,
  RELATIONSHIPS,
  RegistrationSchema,
  SEXES,
  SPECIFIC_NEEDS,
  ageOn,
  documentKey,
  isCalendarDate,
  isCountryCode,
  isoDay,
  toE164,
  type RegistrationInput,
} from '@passage/domain';
import { DEMO_IMPORT_COLUMNS, demoHouseholds, demoImportRows } from './people.ts';

// The real today: the schemas refuse dates of birth after the real clock's today.
const today = isoDay(new Date());
const officeIds = ['0b6f6a0e-4a55-4d3c-9a57-1f1d3c0a0001', '0b6f6a0e-4a55-4d3c-9a57-1f1d3c0a0002', '0b6f6a0e-4a55-4d3c-9a57-1f1d3c0a0003'];

const households = (seed: number, n: number): RegistrationInput[] => [...demoHouseholds({ seed, households: n, officeIds, today })];
const rows = (seed: number, n: number): Record<string, string>[] => [...demoImportRows({ seed, rows: n, today })];

const SCRIPTS = {
  arabic: /\p{Script=Arabic}/u,
  urduStyle: /[\u06A9\u06CC\u06C1]/u, // ک ی ہ: Urdu letters, as the Rohingya originals are written
  cyrillic: /\p{Script=Cyrillic}/u,
  ethiopic: /\p{Script=Ethiopic}/u,
};

/** Each nationality's calling code; Rohingya (Myanmar or stateless) have Bangladeshi phones, as they live in the camps there. */
const CALLING_CODE: Record<string, string> = { SYR: '+963', IRQ: '+964', SDN: '+249', UKR: '+380', SOM: '+252', ERI: '+291', VEN: '+58', COL: '+57', MMR: '+880', none: '+880' };

describe('demo people', () => {
  it('the same seed gives the same output; another seed does not', () => {
    assert.deepEqual(households(7, 300), households(7, 300));
    assert.notDeepEqual(households(7, 50), households(8, 50));
    assert.deepEqual(rows(7, 2000), rows(7, 2000));
    assert.notDeepEqual(rows(7, 200), rows(8, 200));
  });

  it('households and import rows of one seed hold the same people', () => {
    const people = households(11, 200).flatMap((h) => h.members);
    const flat = rows(11, people.length);
    assert.deepEqual(
      flat.map((r) => [r.given_name, r.family_name, r.date_of_birth]),
      people.map((p) => [p.givenName, p.familyName ?? '', p.dateOfBirth]),
    );
  });

  it('every household passes the registration schema, with exactly one head, listed first', (t) => {
    const all = households(20_260_101, 3000);
    const sizes = new Map<number, number>();
    let childHeaded = 0;
    const documents = new Set<string>();
    for (const h of all) {
      const parsed = RegistrationSchema.safeParse(h);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3)) + JSON.stringify(h));
      assert.equal(h.members.filter((m) => m.relationship === 'head').length, 1);
      assert.equal(h.members[0]!.relationship, 'head');
      assert.ok(h.members.length >= 1 && h.members.length <= 8, `size ${h.members.length}`);
      assert.ok(officeIds.includes(h.officeId));
      sizes.set(h.members.length, (sizes.get(h.members.length) ?? 0) + 1);
      const headAge = ageOn(h.members[0]!.dateOfBirth!, today);
      if (headAge < 18 && h.members[0]!.dobPrecision === 'exact') {
        assert.ok(h.headNote, 'a child head of household has a note');
      }
      if (h.headNote) childHeaded++;
      for (const m of h.members) {
        // Consent for registration and assistance, from everyone.
        const purposes = (m.consents ?? []).filter((c) => c.granted).map((c) => c.purpose);
        assert.ok(purposes.includes('registration') && purposes.includes('assistance'));
        for (const p of m.phones ?? []) assert.equal(toE164(p), p, `${p} is valid E.164`);
        if (m.relationship !== 'head') assert.deepEqual(m.phones, [], 'phones for heads only');
        for (const d of m.documents ?? []) {
          assert.ok(!documents.has(documentKey(d.number)), `duplicate document ${d.number}`);
          documents.add(documentKey(d.number));
        }
      }
    }
    for (let size = 1; size <= 8; size++) assert.ok((sizes.get(size) ?? 0) > all.length * 0.03, `households of ${size}`);
    assert.ok(childHeaded > 0, 'some child-headed households');
    assert.ok(all.some((h) => h.members.some((m) => m.relationship === 'parent' || m.relationship === 'grandparent')));
    assert.ok(all.some((h) => h.members.some((m) => m.relationship === 'other_relative')));
    t.diagnostic(`household sizes: ${[...sizes].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ')}; child-headed: ${childHeaded}`);
  });

  it('names in every pattern: Arabic, Urdu-style, Cyrillic and Ge’ez originals, Latin-only Somali and Spanish, varying spellings', () => {
    const people = households(3, 2000).flatMap((h) => h.members);
    for (const [script, re] of Object.entries(SCRIPTS)) assert.ok(people.some((p) => p.fullNameOriginal && re.test(p.fullNameOriginal)), script);
    assert.ok(people.some((p) => p.nationality === 'SOM' && !p.fullNameOriginal && !p.familyName), 'Somali without family name');
    assert.ok(people.some((p) => p.nationality === 'VEN' && !p.fullNameOriginal && /\S+ \S+/.test(p.familyName ?? '')), 'Spanish two surnames');
    assert.ok(people.some((p) => p.languages?.includes('rhg') && !p.middleName && !p.familyName), 'Rohingya single names');
    const given = new Set(people.map((p) => p.givenName));
    for (const variants of [
      ['Mohammed', 'Muhammad', 'Mohamed'],
      ['Oleksandr', 'Olexandr'],
      ['Tesfay', 'Tesfai'],
      ['Selam'],
      ['María', 'Maria'],
    ]) {
      for (const v of variants) assert.ok(given.has(v) || people.some((p) => p.givenName.startsWith(`${v} `)), `${v} appears`);
    }
    assert.ok(people.some((p) => /^(al-|Al |Abd al-)/.test(p.familyName ?? '')), 'al- family names');
    for (const nat of ['SYR', 'IRQ', 'SDN', 'UKR', 'SOM', 'ERI', 'VEN', 'COL', 'MMR']) assert.ok(people.some((p) => p.nationality === nat), nat);
  });

  it('ages form a pyramid with many children; imprecise dates follow the conventions; ~5% have specific needs', (t) => {
    const people = households(5, 5000).flatMap((h) => h.members);
    const ages = people.map((p) => ageOn(p.dateOfBirth!, today));
    const children = ages.filter((a) => a < 18).length / people.length;
    const under5 = ages.filter((a) => a < 5).length / people.length;
    const over60 = ages.filter((a) => a >= 60).length / people.length;
    assert.ok(children > 0.35 && children < 0.6, `children ${children}`);
    assert.ok(Math.max(...ages) <= 100 && Math.min(...ages) >= 0);
    for (const p of people) {
      if (p.dobPrecision === 'year') assert.match(p.dateOfBirth!, /-01-01$/);
      if (p.dobPrecision === 'estimated') assert.match(p.dateOfBirth!, /-07-01$/);
      if (p.dobPrecision === 'month') assert.match(p.dateOfBirth!, /-01$/);
    }
    const withNeeds = people.filter((p) => p.specificNeeds).length / people.length;
    const withWg = people.filter((p) => p.specificNeeds?.washingtonGroup).length;
    assert.ok(withNeeds > 0.03 && withNeeds < 0.09, `specific needs ${withNeeds}`);
    assert.ok(withWg > 0, 'some Washington Group answers');
    const precision = new Map<string, number>();
    for (const p of people) precision.set(p.dobPrecision!, (precision.get(p.dobPrecision!) ?? 0) + 1);
    t.diagnostic(
      `${people.length} people: <18 ${(children * 100).toFixed(1)}%, <5 ${(under5 * 100).toFixed(1)}%, 60+ ${(over60 * 100).toFixed(1)}%, ` +
        `specific needs ${(withNeeds * 100).toFixed(1)}% (${withWg} with WG answers); dob precision ${[...precision].map(([k, n]) => `${k}:${n}`).join(' ')}`,
    );
  });

  it('children of one mother are born at least ~9 months apart, or are twins', () => {
    let pairs = 0;
    let close = 0;
    for (const h of households(6, 3000)) {
      const births = h.members
        .filter((m) => m.relationship === 'child' && m.dobPrecision === 'exact')
        .map((m) => Date.parse(m.dateOfBirth!) / 86_400_000)
        .sort((a, b) => a - b);
      for (let i = 1; i < births.length; i++) {
        pairs++;
        const gap = births[i]! - births[i - 1]!;
        if (gap > 0 && gap < 270) close++;
      }
    }
    assert.ok(pairs > 1000);
    assert.ok(close / pairs < 0.01, `${close} of ${pairs} closer than 270 days`);
  });

  it('dates of birth are real dates and never after today, on leap days and year ends too', () => {
    for (const day of ['2028-02-29', '2027-03-01', '2026-12-31', '2026-01-01']) {
      for (const h of demoHouseholds({ seed: 1, households: 300, officeIds, today: day })) {
        for (const m of h.members) {
          assert.ok(isCalendarDate(m.dateOfBirth!), m.dateOfBirth!);
          assert.ok(m.dateOfBirth! <= day, `${m.dateOfBirth} after ${day}`);
        }
      }
    }
  });

  it('10,000 import rows: the columns, unique external ids and document numbers, every field valid', () => {
    const all = rows(99, 10_000);
    assert.equal(all.length, 10_000);
    const ids = new Set<string>();
    const docs = new Set<string>();
    let documents = 0;
    let phones = 0;
    for (const r of all) {
      assert.deepEqual(Object.keys(r), [...DEMO_IMPORT_COLUMNS]);
      for (const v of Object.values(r)) assert.equal(typeof v, 'string');
      ids.add(r.external_id!);
      assert.ok(RELATIONSHIPS.includes(r.relationship as never), r.relationship);
      assert.ok(SEXES.includes(r.sex as never));
      assert.ok(DOB_PRECISIONS.includes(r.dob_precision as never));
      assert.ok(POPULATION_GROUPS.includes(r.population_group as never));
      assert.ok(isCalendarDate(r.date_of_birth!), r.date_of_birth);
      if (r.nationality) assert.ok(isCountryCode(r.nationality), r.nationality);
      if (r.document_country) assert.ok(isCountryCode(r.document_country), r.document_country);
      if (r.phone) {
        phones++;
        assert.equal(toE164(r.phone), r.phone, r.phone);
        assert.ok(r.phone.startsWith(CALLING_CODE[r.nationality || 'none']!), `${r.phone} for ${r.nationality}`);
      }
      if (r.document_number) {
        documents++;
        assert.ok(DOCUMENT_TYPES.includes(r.document_type as never));
        const key = documentKey(r.document_number);
        assert.ok(!docs.has(key), `duplicate document ${r.document_number}`);
        docs.add(key);
      }
      const languages = r.languages ? r.languages.split(';') : [];
      const needs = r.specific_needs ? r.specific_needs.split(';') : [];
      for (const n of needs) assert.ok(SPECIFIC_NEEDS.includes(n as never), n);
      // The whole row, as an import would map it, passes the person schema.
      const parsed = PersonCreateSchema.safeParse({
        externalId: r.external_id,
        givenName: r.given_name,
        middleName: r.middle_name,
        familyName: r.family_name,
        fullNameOriginal: r.name_original_script,
        sex: r.sex,
        dateOfBirth: r.date_of_birth,
        dobPrecision: r.dob_precision,
        nationality: r.nationality || null,
        populationGroup: r.population_group,
        phones: r.phone ? [r.phone] : [],
        documents: r.document_number ? [{ type: r.document_type, number: r.document_number, issuingCountry: r.document_country || null }] : [],
        languages,
        specificNeeds: needs.length ? { needs } : null,
      });
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues) + JSON.stringify(r));
    }
    assert.equal(ids.size, all.length);
    assert.ok(documents > 500 && phones > 500, `${documents} documents, ${phones} phones`);
    assert.equal(all[0]!.relationship, 'head');
  });

  it('refuses a missing office or a malformed today', () => {
    assert.throws(() => [...demoHouseholds({ seed: 1, households: 1, officeIds: [], today })], RangeError);
    assert.throws(() => [...demoImportRows({ seed: 1, rows: 1, today: '2026-02-30' })], RangeError);
    assert.deepEqual(households(1, 0), []);
  });

  it('1,000,000 import rows, timed (not asserted), document numbers still unique', (t) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let count = 0;
    const numbers: string[] = [];
    for (const r of demoImportRows({ seed: 2026, rows: 1_000_000, today })) {
      count++;
      if (r.document_number) numbers.push(r.document_number);
    }
    const ms = performance.now() - started;
    const cpuMs = process.cpuUsage(cpu).user / 1000;
    assert.equal(count, 1_000_000);
    assert.equal(new Set(numbers.map(documentKey)).size, numbers.length);
    t.diagnostic(`1,000,000 import rows in ${(ms / 1000).toFixed(2)} s (${((1_000_000 / ms) * 1000).toFixed(0)} rows/s, ${(cpuMs / 1000).toFixed(2)} s CPU); ${numbers.length} document numbers, all unique`);
  });
});
