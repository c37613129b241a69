import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Watchlist, nameScore, type WatchlistEntry } from './screen.ts';
import { generateSynthetic } from './synthetic.ts';

describe('watchman name score', () => {
  it('scores cross-script names after transliteration (watchman alone gives محمد علي / Mohamed Ali 0)', () => {
    assert.ok(nameScore('محمد علي', 'Mohamed Ali') > 0.95);
    assert.ok(nameScore('Олександр Шевченко', 'Oleksandr Shevchenko') > 0.95);
  });
  it('is high for typos and word order, lower for missing parts of the list name, low for other names', () => {
    assert.ok(nameScore('Mohamed Ali', 'Ali Mohamed') > 0.95);
    assert.ok(nameScore('Abdulrahmn Hashimi', 'Abdul Rahman Al-Hashimi') > 0.9);
    const partial = nameScore('Ahmed', 'Ahmed Khalil Mansour');
    assert.ok(partial < 1 && partial > 0.85, `${partial}`);
    assert.ok(nameScore('Olena Bondarenko', 'Mohamed Ali') < 0.5);
    assert.equal(nameScore('', 'Mohamed Ali'), 0);
    assert.equal(nameScore('12345', '...'), 0);
  });
});

describe('Watchlist', () => {
  const entries: WatchlistEntry[] = [
    { entryId: 'E1', name: 'Abu Bakr al-Baghdadi', dateOfBirth: '1971-07-28', nationality: 'IRQ' },
    { entryId: 'E1-a1', name: 'Ibrahim Awad Ibrahim al-Badri', aliasOf: 'E1' },
    { entryId: 'E2', name: 'Oleksandr Ivanov', dateOfBirth: '1965', nationality: 'UKR' },
    { entryId: 'E3', name: 'Maria Garcia Lopez', nationality: 'VEN' },
    { entryId: 'E4-a', name: 'Someone Else', aliasOf: 'NOT-THERE' },
  ];
  const list = new Watchlist(entries);

  it('finds an entry by its aliases, reported under the main entry', () => {
    const hits = list.screen({ names: ['Ibrahim Awad al-Badri'] });
    assert.equal(hits[0]?.entryId, 'E1');
    assert.equal(hits[0]?.matchedRowId, 'E1-a1');
    assert.ok(['block', 'review'].includes(hits[0]!.band));
  });

  it('lowers the score when the birth year or nationality disagree', () => {
    const same = list.screen({ names: ['Aleksandr Ivanov'], dateOfBirth: '1965-03-03', nationality: 'UKR' }, { threshold: 0 })[0]!;
    const other = list.screen({ names: ['Aleksandr Ivanov'], dateOfBirth: '1990-03-03', nationality: 'RUS' }, { threshold: 0 })[0]!;
    assert.equal(same.entryId, 'E2');
    assert.ok(Math.abs(same.score - other.score - 0.35) < 1e-9);
  });

  it('takes the best of several names of the person (Latin and original script)', () => {
    const hits = list.screen({ names: ['Maryam Hassan', 'ماريا غارسيا لوبيز'] }, { threshold: 0.7 });
    assert.ok(hits.every((h) => h.entryId !== 'E2'));
  });

  it('keeps an alias of an unknown entry as an entry of its own, and reports it', () => {
    assert.deepEqual(list.danglingAliases, ['E4-a']);
    assert.equal(list.screen({ names: ['Someone Else'] })[0]?.entryId, 'E4-a');
  });

  it('scores exactly as watchmanScore does, and finds the strong hits a scan of every row finds', () => {
    const data = generateSynthetic({ records: 3000, seed: 4 });
    const rows = data.records.map((r, k) => ({ entryId: `W${k}`, name: [r.givenName, r.middleName, r.familyName].filter(Boolean).join(' ') || (r.nameOriginal ?? '') }));
    const big = new Watchlist(rows);
    for (const r of data.records.slice(0, 60)) {
      const q = [r.givenName, r.familyName].filter(Boolean).join(' ') || (r.nameOriginal ?? '');
      const hits = big.screen({ names: [q] }, { threshold: 0.85 });
      for (const h of hits) assert.equal(h.nameScore, nameScore(q, rows[Number(h.entryId.slice(1))]!.name));
      // Rows that share no key (canonical token, skeleton, 3-letter prefix) are not candidates: a one-token list name
      // "Sahida" scores 0.91 against "Hani al-Said" on a scan, and is not found. Strong hits are.
      const scan = rows.filter((row) => nameScore(q, row.name) >= 0.95).map((row) => row.entryId);
      const found = new Set(hits.map((h) => h.entryId));
      assert.ok(scan.every((id) => found.has(id)), `${q}: scan ${scan.length}, index ${found.size}`);
    }
  });

  it('caps the candidate names of a very common name, strongest first, and says so', () => {
    const rows = Array.from({ length: 300 }, (_, k) => ({ entryId: `M${k}`, name: `Mohammed Hassan ${['Ali', 'Omar', 'Said'][k % 3]} ${String.fromCharCode(97 + (k % 26))}${String.fromCharCode(97 + Math.floor(k / 26))}x` }));
    rows.push({ entryId: 'T', name: 'Mohammed Hassan Ali Tahir' });
    const list = new Watchlist(rows);
    const report = { capped: true };
    const all = list.screen({ names: ['Mohammed Hassan Ali Tahir'] }, { threshold: 0.7, report });
    assert.equal(report.capped, false);
    const capped = list.screen({ names: ['Mohammed Hassan Ali Tahir'] }, { threshold: 0.7, maxCandidates: 20, report });
    assert.equal(report.capped, true);
    assert.ok(capped.length < all.length);
    assert.equal(capped[0]!.entryId, 'T', 'the name sharing the most keys is still scored');
  });

  it('finds each person of a 50,000-entry list under their own name (its speed is measured in bench/match-screen)', () => {
    const data = generateSynthetic({ records: 50_000, seed: 9 });
    const big = new Watchlist(data.records.map((r, k) => ({ entryId: `W${k}`, name: [r.givenName, r.middleName, r.familyName].filter(Boolean).join(' ') || (r.nameOriginal ?? ''), dateOfBirth: r.dateOfBirth })));
    for (const [k, r] of data.records.slice(0, 200).entries()) {
      const name = [r.givenName, r.middleName, r.familyName].filter(Boolean).join(' ');
      if (!name) continue;
      const hits = big.screen({ names: [name], dateOfBirth: r.dateOfBirth });
      assert.ok(hits.some((h) => h.entryId === `W${k}`), `${k} found`);
    }
  });
});
