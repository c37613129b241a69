#!/usr/bin/env node
// Benchmarks runner:  node bench/run.mjs [NAME ...] [--size tiny|full]
//   runs bench/NAME.bench.ts through tsx (every benchmark when no NAME), from the repository root.
//   --size tiny is CI's smoke size (seconds); full (the default) is the real measurement.
// Exits non-zero when any benchmark fails; the others still run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(dir);
const all = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

const usage = `usage: node bench/run.mjs [NAME ...] [--size tiny|full]\nbenchmarks: ${all.join(', ')}`;
const names = [];
let size = 'full';
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--help' || a === '-h') {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  } else if (a === '--size') size = argv[++i];
  else if (a.startsWith('--size=')) size = a.slice('--size='.length);
  else if (a.startsWith('-')) {
    console.error(`unknown option ${a}\n${usage}`);
    process.exit(2);
  } else names.push(a.replace(/\.bench\.ts$/, ''));
}
if (size !== 'tiny' && size !== 'full') {
  console.error(`--size must be tiny or full\n${usage}`);
  process.exit(2);
}
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(`no benchmark ${unknown.map((n) => `"${n}"`).join(', ')}\n${usage}`);
  process.exit(2);
}

const failed = [];
for (const name of names.length > 0 ? names : all) {
  process.stdout.write(`\n=== ${name} (${size}) ===\n`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', `${name}.bench.ts`), '--size', size], { stdio: 'inherit', cwd: root });
  if (res.status !== 0) {
    console.error(`benchmark ${name} failed (${res.signal ?? `exit code ${res.status}`})`);
    failed.push(name);
  }
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
