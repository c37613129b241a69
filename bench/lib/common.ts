import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (benchmarks resolve every path from here, whatever the working directory). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The size a benchmark runs at: `tiny` is CI's smoke test, `full` the real measurement. */
export type BenchSize = 'tiny' | 'full';

/** Reads `--size tiny|full` (or `--size=…`); full by default; anything else is an error. */
export function benchSize(argv: readonly string[] = process.argv.slice(2)): BenchSize {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--size') value = argv[++i];
    else if (a.startsWith('--size=')) value = a.slice('--size='.length);
  }
  if (value === undefined || value === 'full') return 'full';
  if (value === 'tiny') return 'tiny';
  throw new Error(`--size must be tiny or full, not ${JSON.stringify(value)}`);
}

/** Prints a line of figures. */
export function say(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Prints the machine-readable result line: `RESULT {"bench":NAME,…}`. */
export function result(name: string, figures: Record<string, unknown>): void {
  say(`RESULT ${JSON.stringify({ bench: name, ...figures })}`);
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** min / median / max of a non-empty list. */
export function spread(values: readonly number[]): { min: number; median: number; max: number } {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** Milliseconds, rounded, with the unit. */
export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

/** "met" or "NOT met", for a target line. */
export function verdict(ok: boolean): string {
  return ok ? 'met' : 'NOT met';
}

/**
 * Clean-up that runs once: on normal completion (call it in `finally`) and on SIGINT/SIGTERM,
 * so an interrupted benchmark still stops its servers and removes its folders.
 */
export function cleanupOnSignal(cleanup: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  const once = () => (running ??= cleanup());
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: cleaning up…\n`);
    once().then(
      () => process.exit(130),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return once;
}
