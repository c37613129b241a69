import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The master key for envelope encryption: PASSAGE_MASTER_KEY when set. Outside production,
 * a key is generated on first start and kept in the data folder (mode 600) — good enough
 * for a demo, never for real data, and the server says so.
 */
export function resolveMasterKey(fromEnv: Buffer | undefined, dataDir: string, log: (msg: string) => void): Buffer {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'secrets', 'master.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  log(`Generated a local encryption master key at ${file}. For real data, set PASSAGE_MASTER_KEY from a secret store instead.`);
  return key;
}
