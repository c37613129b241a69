/**
 * Memory check (not a unit test): writes a 1,000,000-row CSV (~150 MB) to os.tmpdir(), reads it
 * through openTableFile counting rows, and prints rows/s and the peak resident set size. The peak
 * must stay far below the file size: reading streams.
 *
 *   node --import tsx packages/tabular/src/stream-memory.check.ts [rows]
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { openTableFile } from './index.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const out = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const GIVEN = ['Amina', 'Omar', 'Fatima', 'Youssef', 'Léa', 'José', 'Mariam', 'Ibrahim'];
const FAMILY = ['Haddad', 'Al-Khatib', 'Nasser', 'Dupont', 'García', 'Mansour', 'Saleh', 'Karam'];
const ARABIC = ['فاطمة الحسيني', 'عمر خليل', 'مريم ناصر', 'يوسف منصور'];
const CITIES = ['Beirut', 'Saida', 'Tripoli', 'Zahle', 'Tyre'];

/** One fictitious row of about 150 bytes; every 1000th has a quoted note with a line break and quotes. */
function line(i: number): string {
  const notes = i % 1000 === 0 ? '"Needs an interpreter,\nsaid ""urgent"""' : 'Registered at the front desk; documents checked';
  const dob = `19${String(50 + (i % 50)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  return [
    `P${String(i).padStart(8, '0')}`,
    FAMILY[i % FAMILY.length],
    GIVEN[i % GIVEN.length],
    ARABIC[i % ARABIC.length],
    dob,
    `+9617${String(i).padStart(7, '0')}`,
    `${GIVEN[i % GIVEN.length]!.toLowerCase()}.${i}@example.org`,
    CITIES[i % CITIES.length],
    notes,
  ].join(',');
}

async function generate(file: string): Promise<void> {
  const stream = createWriteStream(file);
  stream.write('id,family_name,given_name,arabic_name,date_of_birth,phone,email,city,notes\n');
  let batch: string[] = [];
  for (let i = 1; i <= ROWS; i++) {
    batch.push(line(i));
    if (batch.length === 10_000 || i === ROWS) {
      if (!stream.write(batch.join('\n') + '\n')) await once(stream, 'drain');
      batch = [];
    }
  }
  stream.end();
  await once(stream, 'finish');
}

out(`RSS at start (node + tsx) ${mb(process.resourceUsage().maxRSS * 1024)}`);
const dir = await mkdtemp(path.join(tmpdir(), 'tabular-memory-'));
try {
  const file = path.join(dir, 'registrations.csv');
  await generate(file);
  const { size } = await stat(file);
  const rssAfterGenerate = process.resourceUsage().maxRSS * 1024;
  out(`generated ${ROWS.toLocaleString('en')} rows, ${mb(size)}; peak RSS so far ${mb(rssAfterGenerate)}`);

  const started = process.hrtime.bigint();
  const table = await openTableFile(file);
  let rows = 0;
  let last = 0;
  for await (const row of table.rows) {
    rows++;
    last = row.row;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peak = process.resourceUsage().maxRSS * 1024;
  out(`read ${rows.toLocaleString('en')} rows (last row ${last}) in ${seconds.toFixed(1)} s: ${Math.round(rows / seconds).toLocaleString('en')} rows/s, ${mb(size / seconds)}/s`);
  out(`encoding ${table.header.encoding}, delimiter ${JSON.stringify(table.header.delimiter)}, ${table.header.columns.length} columns`);
  out(`peak RSS ${mb(peak)} (heap now ${mb(process.memoryUsage().heapUsed)})`);
  if (rows !== ROWS) throw new Error(`expected ${ROWS} rows, read ${rows}`);
  if (peak > 300 * 1024 * 1024) throw new Error(`peak RSS ${mb(peak)} is over 300 MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
