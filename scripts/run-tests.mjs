#!/usr/bin/env node
// Runs one kind of test with node's test runner and tsx's loader:
//   unit: *.test.ts (pure code)   int: *.int.test.ts (a real PostgreSQL)   e2e: e2e/*.e2e.test.ts (a real browser)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const kind = process.argv[2];
// --embedded: run the integration suite on the embedded PostgreSQL instead of the local server.
const embedded = process.argv.includes('--embedded');
const passThrough = process.argv.slice(3).filter((a) => a !== '--embedded');
const roots = kind === 'e2e' ? ['e2e'] : ['packages', 'bench'];
const match = {
  unit: (f) => f.endsWith('.test.ts') && !f.endsWith('.int.test.ts') && !f.endsWith('.e2e.test.ts'),
  int: (f) => f.endsWith('.int.test.ts'),
  e2e: (f) => f.endsWith('.e2e.test.ts'),
}[kind];
if (!match) {
  console.error('usage: run-tests.mjs unit|int|e2e');
  process.exit(2);
}
const files = [];
const walk = (dir) => {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (match(p)) files.push(p);
  }
};
roots.forEach(walk);
files.sort();
// The --embedded run repeats the integration suite on the embedded server; a file marked
// "passage-test-database: none" uses no shared test database (or starts its own), so it would only run twice.
if (embedded) files.splice(0, files.length, ...files.filter((f) => !fs.readFileSync(f, 'utf8').slice(0, 500).includes('passage-test-database: none')));
if (files.length === 0) {
  console.error(`No ${kind} tests found`);
  process.exit(1);
}
const concurrency = kind === 'unit' ? 2 : kind === 'int' ? 2 : 1;
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...passThrough, ...files], {
  stdio: 'inherit',
  env: { ...process.env, ...(embedded ? { PASSAGE_TEST_DB: 'embedded' } : {}), PASSAGE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
});
process.exit(res.status ?? 1);
