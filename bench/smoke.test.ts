import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './lib/common.ts';

/**
 * CI's smoke test of the benchmarks: each runs at `--size tiny` through the runner, as a child
 * process, and must exit 0 and print its figures and its `RESULT {...}` line.
 */
const RUNNER = path.join(ROOT, 'bench', 'run.mjs');
const BENCHES = fs
  .readdirSync(path.join(ROOT, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
// Generous: a safety net against a hung benchmark, not a speed check (a busy CI machine may be slow).
const TIMEOUT_MS = 240_000;

/** Runs one benchmark; on timeout, SIGTERMs its whole process group (the benchmark cleans up on SIGTERM). */
function runTiny(name: string): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, name, '--size', 'tiny'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    }, TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

describe('benchmarks at --size tiny', () => {
  it('finds the benchmarks', () => {
    for (const name of ['bundle-size', 'http-get', 'startup']) assert.ok(BENCHES.includes(name), name);
  });

  it('the runner refuses an unknown benchmark or size', () => {
    assert.equal(spawnSync(process.execPath, [RUNNER, 'no-such-bench'], { cwd: ROOT }).status, 2);
    assert.equal(spawnSync(process.execPath, [RUNNER, 'bundle-size', '--size', 'huge'], { cwd: ROOT }).status, 2);
  });

  for (const name of BENCHES) {
    it(`${name} runs and prints its figures`, { timeout: TIMEOUT_MS + 10_000 }, async () => {
      const res = await runTiny(name);
      const output = `--- stdout\n${res.stdout}\n--- stderr\n${res.stderr}`;
      assert.equal(res.timedOut, false, `timed out after ${TIMEOUT_MS} ms\n${output}`);
      assert.equal(res.code, 0, output);
      const line = res.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      assert.ok(line, `no RESULT line\n${output}`);
      const figures = JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>;
      assert.equal(figures.bench, name);
      assert.equal(figures.size, 'tiny');
      if (figures.skipped === true) {
        assert.equal(name, 'bundle-size', 'only the bundle size may skip (when the web app is not built)');
        return;
      }
      // Human-readable figures before the RESULT line, with numbers in them.
      const figureLines = res.stdout.split('\n').filter((l) => !l.startsWith('RESULT ') && !l.startsWith('===') && /\d/.test(l));
      assert.ok(figureLines.length >= 2, `no figures printed\n${output}`);
    });
  }
});
