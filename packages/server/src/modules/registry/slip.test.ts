import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import jsQRModule from 'jsqr';
import { DEMO_MARK, buildSlipDocument, renderRegistrationSlip, visualRuns, type SlipData } from './slip.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const artifacts = path.join(repoRoot, 'test-artifacts', 'registry');

// jsqr is a CommonJS bundle; depending on the loader its function is the default export or under it.
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule }).default ?? jsQRModule) as typeof jsQRModule;

// ---------------------------------------------------------------------------------------------
// A small reader for the PDFs pdfkit writes: objects, Flate streams, ToUnicode maps, text, rects.

interface ParsedPdf {
  raw: string;
  /** Font resource name (F1…) → BaseFont name without the subset tag. */
  fonts: Map<string, string>;
  /** The page's text in drawing order; a new line whenever the baseline moves. */
  text: string;
  /** Square filled rectangles: [x, y, size]. */
  squares: [number, number, number][];
}

function parsePdf(buf: Buffer): ParsedPdf {
  const raw = buf.toString('latin1');
  const objects = new Map<string, { dict: string; stream: Buffer | null }>();
  const objRe = /(?:^|\n)(\d+) 0 obj\s*/g;
  for (let m = objRe.exec(raw); m; m = objRe.exec(raw)) {
    const bodyStart = m.index + m[0].length;
    const end = raw.indexOf('endobj', bodyStart);
    const body = raw.slice(bodyStart, end);
    const streamAt = body.search(/stream\r?\n/);
    if (streamAt < 0) {
      objects.set(m[1]!, { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dict)![1]);
    const dataStart = bodyStart + streamAt + body.slice(streamAt).indexOf('\n') + 1;
    const data = buf.subarray(dataStart, dataStart + length);
    objects.set(m[1]!, { dict, stream: dict.includes('/FlateDecode') ? zlib.inflateSync(data) : data });
  }

  const fonts = new Map<string, string>();
  const toUnicode = new Map<string, Map<number, string>>();
  for (const [name, id] of [...raw.matchAll(/\/(F\d+) (\d+) 0 R/g)].map((x) => [x[1]!, x[2]!] as const)) {
    const dict = objects.get(id)!.dict;
    fonts.set(name, /\/BaseFont \/(?:[A-Z]{6}\+)?([^\s/]+)/.exec(dict)![1]!);
    const cmapId = /\/ToUnicode (\d+) 0 R/.exec(dict)![1]!;
    toUnicode.set(name, parseToUnicode(objects.get(cmapId)!.stream!.toString('latin1')));
  }

  const page = [...objects.values()].find((o) => /\/Type \/Page\b/.test(o.dict))!;
  const content = objects.get(/\/Contents (\d+) 0 R/.exec(page.dict)![1]!)!.stream!.toString('latin1');

  let text = '';
  let font = '';
  let y = '';
  let lastY: string | null = null;
  const squares: [number, number, number][] = [];
  const tokenRe = /\/(F\d+) [\d.]+ Tf|[\d.-]+ [\d.-]+ [\d.-]+ [\d.-]+ ([\d.-]+) ([\d.-]+) Tm|\[((?:<[0-9a-f]*>|\s|-?[\d.]+)*)\] TJ|([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+) re/g;
  for (const t of content.matchAll(tokenRe)) {
    if (t[1]) font = t[1];
    else if (t[3] !== undefined) y = t[3];
    else if (t[4] !== undefined) {
      const map = toUnicode.get(font)!;
      let run = '';
      for (const hex of t[4].matchAll(/<([0-9a-f]*)>/g)) {
        for (let i = 0; i < hex[1]!.length; i += 4) run += map.get(parseInt(hex[1]!.slice(i, i + 4), 16)) ?? '\ufffd';
      }
      // Glyphs without text (Arabic dots and marks that fontkit split off) are positioned on their
      // own; they must not start a new line.
      if (run === '') continue;
      if (lastY !== null && y !== lastY) text += '\n';
      lastY = y;
      text += run;
    } else if (t[7] !== undefined && t[7] === t[8]) {
      squares.push([Number(t[5]), Number(t[6]), Number(t[7])]);
    }
  }
  return { raw, fonts, text, squares };
}

function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string): string => hex.split(/\s+/).filter(Boolean).map((h) => String.fromCharCode(parseInt(h, 16))).join('');
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const r of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/gi)) {
      const from = parseInt(r[1]!, 16);
      [...r[3]!.matchAll(/<([0-9a-f\s]*)>/gi)].forEach((u, i) => map.set(from + i, utf16(u[1]!)));
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const r of block[1]!.matchAll(/<([0-9a-f]+)>\s*<([0-9a-f\s]*)>/gi)) map.set(parseInt(r[1]!, 16), utf16(r[2]!));
  }
  return map;
}

/** The QR code drawn in the PDF, decoded: its modules are read back from the vector squares. */
function decodeQr(pdf: ParsedPdf): string | null {
  const bySize = new Map<number, [number, number][]>();
  for (const [x, y, s] of pdf.squares) bySize.set(s, [...(bySize.get(s) ?? []), [x, y]]);
  const [module, cells] = [...bySize.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
  const minX = Math.min(...cells.map((c) => c[0]));
  const minY = Math.min(...cells.map((c) => c[1]));
  const n = Math.round((Math.max(...cells.map((c) => c[0])) - minX) / module) + 1;
  const scale = 4;
  const quiet = 4;
  const side = (n + 2 * quiet) * scale;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [x, y] of cells) {
    const col = Math.round((x - minX) / module) + quiet;
    const row = Math.round((y - minY) / module) + quiet;
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const p = ((row * scale + dy) * side + col * scale + dx) * 4;
        rgba[p] = rgba[p + 1] = rgba[p + 2] = 0;
      }
    }
  }
  return jsQR(rgba, side, side)?.data ?? null;
}

// ---------------------------------------------------------------------------------------------

const reversed = (s: string): string => [...s].reverse().join('');

function slip(over: Partial<SlipData> = {}): SlipData {
  return {
    registrationId: 'DEMO-NL-000123-K',
    officeName: 'Demo Office Amsterdam',
    registeredOn: '2026-11-27',
    person: {
      givenName: 'Jan',
      middleName: null,
      familyName: 'de Vries',
      fullNameOriginal: null,
      sex: 'male',
      dateOfBirth: '1990-04-12',
      dobPrecision: 'exact',
      nationality: 'NLD',
    },
    household: [],
    language: 'en',
    demo: true,
    ...over,
  };
}

/** A household with Arabic and Tigrinya names: the sample slip. */
const ARABIC_TIGRINYA: SlipData = slip({
  registrationId: 'DEMO-NL-000123-K',
  officeName: 'Demo Office — Amsterdam',
  person: {
    givenName: 'Mohammed',
    middleName: null,
    familyName: 'Hassan',
    fullNameOriginal: 'محمد حسن',
    sex: 'male',
    dateOfBirth: '1986-01-01',
    dobPrecision: 'year',
    nationality: 'SYR',
  },
  household: [
    { registrationId: 'DEMO-NL-000124-M', name: 'Fatima Hassan', nameOriginal: 'فاطمة حسن', relationship: 'spouse', age: 35 },
    { registrationId: 'DEMO-NL-000125-P', name: 'Yusuf Hassan', nameOriginal: 'يوسف محمد حسن', relationship: 'child', age: 9 },
    { registrationId: 'DEMO-NL-000126-R', name: 'Tesfay Gebremedhin', nameOriginal: 'ተስፋይ ገብረመድህን', relationship: 'other_relative', age: 27 },
    { registrationId: 'DEMO-NL-000127-T', name: 'Selam Tesfay', nameOriginal: 'ሰላም ተስፋይ', relationship: 'other_relative', age: null },
  ],
});

describe('registration slip: bidi runs', () => {
  it('leaves left-to-right text as one run per font', () => {
    assert.deepEqual(visualRuns('  Jan   de Vries '), [{ text: 'Jan de Vries', font: 'Sans', noWrap: false }]);
    assert.deepEqual(visualRuns('Иван ሰላም'), [
      { text: 'Иван ', font: 'Sans', noWrap: false },
      { text: 'ሰላም', font: 'Ethiopic', noWrap: false },
    ]);
  });

  it('puts Arabic words right to left, each word in logical order for the shaper', () => {
    const runs = visualRuns('محمد حسن');
    assert.deepEqual(
      runs.map((r) => r.text),
      ['حسن', ' ', 'محمد'],
    );
    assert.equal(runs[0]!.font, 'Arabic');
    assert.ok(runs.every((r) => r.noWrap));
  });

  it('keeps numbers left to right inside right-to-left text, mirrors brackets', () => {
    // Visual: 45 (١٢٣) حسن محمد — Arabic-Indic digits are pre-reversed because fontkit reverses
    // any Arabic-script run; the brackets are swapped because they sit at an odd level.
    assert.deepEqual(
      visualRuns('محمد حسن (١٢٣) 45').map((r) => r.text),
      ['45', ' ', '(', '٣٢١', ')', ' ', 'حسن', ' ', 'محمد'],
    );
    assert.deepEqual(
      visualRuns('1988 (السنة فقط)', 'rtl').map((r) => r.text),
      ['(', 'فقط', ' ', 'السنة', ')', ' ', '1988'],
    );
  });

  it('keeps Latin text in order inside an Arabic paragraph', () => {
    assert.deepEqual(
      visualRuns('رقم DEMO-NL-1 هنا', 'rtl').map((r) => r.text),
      ['هنا', ' ', 'DEMO-NL-1', ' ', 'رقم'],
    );
  });
});

describe('registration slip: PDF', () => {
  it('is a complete PDF whose text layer carries the registration id', async () => {
    const buf = await renderRegistrationSlip(slip());
    assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(buf.subarray(-32).toString('latin1'), /%%EOF\s*$/);
    const pdf = parsePdf(buf);
    assert.ok(pdf.text.includes('DEMO-NL-000123-K'), pdf.text);
    assert.ok(pdf.text.includes('Registration slip'));
    assert.ok(pdf.text.includes('Jan de Vries'));
    assert.ok(pdf.text.includes('1990-04-12'));
    assert.ok(pdf.text.includes(DEMO_MARK), 'demo banner/watermark');
  });

  it('marks only demo slips as demo data', async () => {
    const pdf = parsePdf(await renderRegistrationSlip(slip({ demo: false })));
    assert.ok(!pdf.text.includes('DEMO DATA'));
    assert.ok(pdf.text.includes('DEMO-NL-000123-K'));
  });

  it('embeds Noto Sans only for Latin names, and Arabic and Ethiopic fonts when such names appear', async () => {
    const latin = parsePdf(await renderRegistrationSlip(slip()));
    assert.deepEqual(new Set(latin.fonts.values()), new Set(['NotoSans-Regular', 'NotoSans-Bold']));

    const buf = await renderRegistrationSlip(ARABIC_TIGRINYA);
    const pdf = parsePdf(buf);
    const embedded = new Set(pdf.fonts.values());
    for (const f of ['NotoSans-Regular', 'NotoSans-Bold', 'IBMPlexSansArabic-Regular', 'IBMPlexSansArabic-Bold', 'NotoSansEthiopic-Regular']) {
      assert.ok(embedded.has(f), `${f} embedded: ${[...embedded].join(', ')}`);
    }
    assert.match(pdf.raw, /\/BaseFont \/[A-Z]{6}\+IBMPlexSansArabic-Regular/);
    assert.match(pdf.raw, /\/BaseFont \/[A-Z]{6}\+NotoSansEthiopic-Regular/);
    // Each font is embedded as a subset with its glyph outlines.
    assert.equal((pdf.raw.match(/\/FontFile2 \d+ 0 R/g) ?? []).length, embedded.size);

    // Ethiopic reads left to right, as typed.
    assert.ok(pdf.text.includes('ተስፋይ ገብረመድህን'), pdf.text);
    assert.ok(pdf.text.includes('Иван') === false);
    // Arabic is drawn in visual order: reading the glyphs left to right gives the name reversed —
    // "حسن" (the last word) leftmost, each word's letters from its end.
    assert.ok(pdf.text.includes(reversed('فاطمة حسن')), pdf.text);
    assert.ok(pdf.text.includes(reversed('يوسف محمد حسن')), pdf.text);
  });

  it('renders every label language, Arabic labels right to left', async () => {
    for (const [language, title] of [
      ['en', 'Registration slip'],
      ['fr', "Fiche d'enregistrement"],
      ['es', 'Comprobante de registro'],
      ['ar', reversed('إيصال التسجيل')],
    ] as const) {
      const pdf = parsePdf(await renderRegistrationSlip({ ...ARABIC_TIGRINYA, language }));
      assert.ok(pdf.text.includes(title), `${language}: ${title}`);
      assert.ok(pdf.text.includes('DEMO-NL-000123-K'));
    }
    const ar = parsePdf(await renderRegistrationSlip({ ...ARABIC_TIGRINYA, language: 'ar' }));
    // "1986 (السنة فقط)": the year stays left to right, to the right of the bracketed note.
    assert.ok(ar.text.includes(`(${reversed('السنة فقط')}) 1986`), ar.text);
  });

  it('shows the date-of-birth precision', async () => {
    const text = async (dateOfBirth: string | null, dobPrecision: string): Promise<string> =>
      parsePdf(await renderRegistrationSlip(slip({ person: { ...slip().person, dateOfBirth, dobPrecision } }))).text;
    assert.ok((await text('1990-01-01', 'year')).includes('1990 (year only)'));
    assert.ok((await text('1990-01-01', 'estimated')).includes('1990-01-01 (estimated)'));
    assert.ok((await text('1990-05-01', 'month')).includes('1990-05 (month and year only)'));
  });

  it('draws a QR code of the registration id', async () => {
    const doc = buildSlipDocument(ARABIC_TIGRINYA);
    const qrNodes = JSON.stringify(doc.content).match(/"qr":"[^"]*"/g);
    assert.deepEqual(qrNodes, ['"qr":"DEMO-NL-000123-K"']);

    const pdf = parsePdf(await renderRegistrationSlip(ARABIC_TIGRINYA));
    assert.ok(pdf.squares.length > 100, 'the QR modules are drawn as vector squares');
    assert.equal(decodeQr(pdf), 'DEMO-NL-000123-K');
  });

  it('renders concurrent slips independently (pdfmake is one shared instance)', async () => {
    const ids = ['DEMO-NL-000201-A', 'DEMO-NL-000202-B', 'DEMO-NL-000203-C'];
    const bufs = await Promise.all(ids.map((registrationId, i) => renderRegistrationSlip(i === 1 ? { ...ARABIC_TIGRINYA, registrationId } : slip({ registrationId }))));
    bufs.forEach((buf, i) => {
      const text = parsePdf(buf).text;
      ids.forEach((id, j) => assert.equal(text.includes(id), i === j, `slip ${i} mentions ${id}: ${i === j}`));
    });
  });

  it('renders 100 slips in reasonable time', async (t) => {
    const started = performance.now();
    let bytes = 0;
    for (let i = 0; i < 100; i++) {
      const data = { ...ARABIC_TIGRINYA, registrationId: `DEMO-NL-${String(i).padStart(6, '0')}-K` };
      bytes += (await renderRegistrationSlip(data)).length;
    }
    const ms = performance.now() - started;
    t.diagnostic(`100 slips (Arabic + Ethiopic household): ${ms.toFixed(0)} ms, ${(ms / 100).toFixed(1)} ms/slip, ${(bytes / 100 / 1024).toFixed(1)} KiB/slip`);
  });

  it('writes a sample slip (and a PNG of it where pdftoppm exists) to test-artifacts/registry', async (t) => {
    fs.mkdirSync(artifacts, { recursive: true });
    const file = path.join(artifacts, 'sample-slip.pdf');
    fs.writeFileSync(file, await renderRegistrationSlip(ARABIC_TIGRINYA));
    fs.writeFileSync(path.join(artifacts, 'sample-slip-ar.pdf'), await renderRegistrationSlip({ ...ARABIC_TIGRINYA, language: 'ar' }));
    const which = spawnSync('which', ['pdftoppm'], { encoding: 'utf8' });
    if (which.status !== 0) {
      t.diagnostic('pdftoppm not installed: no PNG written');
      return;
    }
    for (const name of ['sample-slip', 'sample-slip-ar']) {
      const r = spawnSync('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', '-singlefile', path.join(artifacts, `${name}.pdf`), path.join(artifacts, name)]);
      assert.equal(r.status, 0, r.stderr?.toString());
      assert.ok(fs.statSync(path.join(artifacts, `${name}.png`)).size > 10_000);
    }
    t.diagnostic(`wrote ${path.relative(repoRoot, file)} and PNGs`);
  });
});
