import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, benchSize, result, say, verdict } from './lib/common.ts';

/**
 * The JavaScript the login page loads up front: the entry `<script src>` and the
 * `<link rel="modulepreload">` files of packages/web/dist/index.html, each gzipped at level 9
 * and summed. Target ≤ 300 KB gzipped. Build first: `npm run build -w @passage/web`.
 * For context, also the whole app's JS (every chunk, lazily loaded screens included).
 */
const NAME = 'bundle-size';
const TARGET_BYTES = 300 * 1024;
const size = benchSize();
const dist = path.join(ROOT, 'packages/web/dist');
const index = path.join(dist, 'index.html');

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gzip = (body: Buffer) => zlib.gzipSync(body, { level: 9 }).length;

if (!fs.existsSync(index)) {
  if (size === 'tiny') {
    say('skipped: packages/web/dist/index.html is missing (build with: npm run build -w @passage/web)');
    result(NAME, { size, skipped: true });
    process.exit(0);
  }
  console.error('packages/web/dist/index.html is missing: build first with npm run build -w @passage/web');
  process.exit(1);
}

const html = fs.readFileSync(index, 'utf8');
const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
const direct: string[] = [];
for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
  const src = tag.toLowerCase().startsWith('<script') ? attr(tag, 'src') : attr(tag, 'rel')?.toLowerCase() === 'modulepreload' ? attr(tag, 'href') : undefined;
  if (src && !/^[a-z]+:\/\//i.test(src) && !direct.includes(src)) direct.push(src);
}
if (direct.length === 0) throw new Error('index.html loads no script: is this a Vite build?');

let raw = 0;
let gz = 0;
const files: { file: string; bytes: number; gzipBytes: number }[] = [];
for (const src of direct) {
  const file = path.join(dist, src.replace(/^\//, '').split(/[?#]/)[0]!);
  const body = fs.readFileSync(file);
  const g = gzip(body);
  raw += body.length;
  gz += g;
  files.push({ file: src, bytes: body.length, gzipBytes: g });
  say(`${src}: ${kb(body.length)} raw, ${kb(g)} gzipped`);
}

const allJs = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
const allGz = allJs.reduce((sum, f) => sum + gzip(fs.readFileSync(path.join(dist, 'assets', f))), 0);
say(`login page JS loaded directly by index.html: ${direct.length} files, ${kb(raw)} raw, ${kb(gz)} gzipped (level 9)`);
say(`  target ≤ ${kb(TARGET_BYTES)} gzipped: ${verdict(gz <= TARGET_BYTES)} (${((gz / TARGET_BYTES) * 100).toFixed(0)}% of the budget)`);
say(`whole app, for context: ${allJs.length} JS chunks, ${kb(allGz)} gzipped`);
result(NAME, { size, files, rawBytes: raw, gzipBytes: gz, targetBytes: TARGET_BYTES, targetMet: gz <= TARGET_BYTES, wholeAppJsFiles: allJs.length, wholeAppGzipBytes: allGz });
