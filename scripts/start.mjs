#!/usr/bin/env node
// `npm start`: build the web app when it is missing or older than its sources, then serve.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const web = path.join(root, 'packages', 'web');
const built = path.join(web, 'dist', 'index.html');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

if (fs.existsSync(path.join(web, 'src'))) {
  const stale = !fs.existsSync(built) || newest(path.join(web, 'src')) > fs.statSync(built).mtimeMs || fs.statSync(path.join(web, 'index.html')).mtimeMs > fs.statSync(built).mtimeMs;
  if (stale) {
    process.stderr.write('Building the web app…\n');
    const res = spawnSync('npm', ['run', 'build', '-w', '@passage/web'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (res.status !== 0) process.exit(res.status ?? 1);
  }
}

process.argv = [process.argv[0], 'passage', 'serve', ...process.argv.slice(2)];
const { register } = await import('tsx/esm/api');
register();
await import('../packages/cli/src/main.ts');
