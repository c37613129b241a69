/**
 * One deduplication run for the speed part of bench/match.bench.ts, in its own process so that its peak RSS
 * (process.resourceUsage().maxRSS) is its own:
 *   node --import tsx bench/lib/match-speed.ts RECORDS [WORKERS]
 * Generates RECORDS synthetic registrations, deduplicates them, prints one JSON line of figures.
 */
import os from 'node:os';
import { dedupe, generateSynthetic, type DedupeStage } from '@passage/match';

const records = Number(process.argv[2] ?? 10_000);
const workers = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const t0 = performance.now();
const data = generateSynthetic({ records, seed: 1 });
const generateMs = performance.now() - t0;
const rssBefore = process.memoryUsage().rss;

// CPU time of the whole process (all threads) per stage: how busy the cores were.
const cpuAt: Partial<Record<DedupeStage, number>> = {};
const wallAt: Partial<Record<DedupeStage, number>> = {};
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let stage: DedupeStage | null = null;
const cpuByStage: Record<string, number> = {};
const wallByStage: Record<string, number> = {};
const start = performance.now();
const cpu0 = cpu();
const result = await dedupe(data.records, {
  workers,
  onProgress: (p) => {
    if (p.stage === stage) return;
    const now = performance.now();
    const c = cpu();
    if (stage) {
      cpuByStage[stage] = c - cpuAt[stage]!;
      wallByStage[stage] = now - wallAt[stage]!;
    }
    stage = p.stage;
    cpuAt[stage] = c;
    wallAt[stage] = now;
  },
});
const wallMs = performance.now() - start;
if (stage) {
  cpuByStage[stage] = cpu() - cpuAt[stage]!;
  wallByStage[stage] = performance.now() - wallAt[stage]!;
}
const cpuMs = cpu() - cpu0;
process.stdout.write(
  `${JSON.stringify({
    records,
    cores: os.cpus().length,
    workers: result.stats.workers,
    generateMs: Math.round(generateMs),
    wallMs: Math.round(wallMs),
    timings: Object.fromEntries(Object.entries(result.stats.timings).map(([k, v]) => [k, Math.round(v)])),
    pairsScored: result.stats.pairsScored,
    pairsPerSecond: Math.round(result.stats.pairsScored / (result.stats.timings.score / 1000)),
    cpuPercentOfOneCore: Math.round((cpuMs / wallMs) * 100),
    scoreCpuPercentOfOneCore: Math.round(((cpuByStage.score ?? 0) / Math.max(1, wallByStage.score ?? 1)) * 100),
    clusters: result.clusters.clusters,
    cappedBlocks: result.blocking.reduce((a, r) => a + r.cappedBlocks, 0),
    rssBeforeMB: Math.round(rssBefore / 1e6),
    maxRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
  })}\n`,
);
