/** Helpers for this package's tests: fixtures written to a fresh folder under os.tmpdir(). */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TabularError } from './errors.ts';
import type { OpenedTable } from './open-table.ts';
import type { TableRow } from './table-rows.ts';

/** A temporary folder for fixtures; `cleanup()` removes it. */
export async function fixtureDir(): Promise<{ dir: string; write(name: string, data: string | Uint8Array): Promise<string>; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tabular-test-'));
  return {
    dir,
    async write(name, data) {
      const file = path.join(dir, name);
      await writeFile(file, data);
      return file;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** All rows of an opened table. */
export async function allRows(table: OpenedTable): Promise<TableRow[]> {
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return rows;
}

/** Bytes delivered in chunks of `size` (to cut characters and records at awkward places). */
export async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** Asserts that `promise` rejects with a TabularError of `code` at `row` (and `column` when given); returns it. */
export async function rejectsWith(promise: Promise<unknown>, code: string, row: number | null, column?: string | null): Promise<TabularError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof TabularError, `expected TabularError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.problem.code, code);
  assert.equal(caught.problem.row, row, caught.message);
  if (column !== undefined) assert.equal(caught.problem.column, column);
  return caught;
}
