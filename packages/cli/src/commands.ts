/**
 * The commands that work on the database (serve, migrate, seed-demo, user create, keys rotate, audit verify), loaded
 * by main.ts only when one of them runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@passage/domain';
import { migrateToLatest, openDatabase } from '@passage/db';
import { ConfigError, loadConfig } from '@passage/server/platform/config';
import { verifyAuditTrail, writeAuditNow } from '@passage/server/platform/audit';
import { EncryptionService } from '@passage/server/platform/encryption';
import { resolveMasterKey } from '@passage/server/platform/master-key';
import { startPassage, type RunningPassage } from '@passage/server/server';
import { demoAccounts, formatDemoCredentials, seedDemo } from '@passage/server/seed/demo';
import { seedDemoPeople } from '@passage/server/seed/demo-people-seed';
import { seedDemoCases } from '@passage/server/seed/demo-cases-seed';
import { DEMO_HOUSEHOLDS } from '@passage/server/server';
import { createUser } from '@passage/server/modules/users/users.service';

import { fail } from './usage.ts';

async function withDatabase<T>(fn: (handle: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateToLatest(handle.db);
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

async function serve(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  // Signal handlers first: a signal during start-up also ends in a clean stop, never a half-started database.
  let running: RunningPassage | null = null;
  let stopRequested: string | null = null;
  const stopAndExit = (r: RunningPassage, signal: string) => {
    process.stderr.write(`\n${signal} received: draining requests and stopping the database…\n`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    r.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (stopRequested) return;
    stopRequested = signal;
    if (running) stopAndExit(running, signal);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  running = await startPassage(config);
  if (stopRequested) return stopAndExit(running, stopRequested);
  const shownUrl = running.url.replace('127.0.0.1', 'localhost');
  // One write, so that whoever watches for the ready line also has the sign-in details.
  const credentials = config.demo ? formatDemoCredentials(demoAccounts(), shownUrl) : '';
  process.stderr.write(`${credentials}\nPassage is ready at ${shownUrl} (${running.database.mode} database, ready in ${Date.now() - started} ms)\n`);
}

/** Runs a database command (its --help is answered by main.ts); a configuration error is a usage error. */
export async function runDatabaseCommand(command: string, rest: string[]): Promise<void> {
  try {
    await databaseCommand(command, rest);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

async function databaseCommand(command: string, rest: string[]): Promise<void> {
  switch (command) {
    case 'serve':
      return serve();
    case 'migrate':
      await withDatabase(async () => undefined);
      process.stdout.write('Migrations are up to date.\n');
      return;
    case 'seed-demo': {
      const config = loadConfig();
      await withDatabase(async ({ db }) => {
        const encryption = await EncryptionService.open(db, resolveMasterKey(config.masterKey, config.dataDir, (m) => process.stderr.write(`${m}\n`)));
        const seeded = await seedDemo(db, encryption, { onlyIfEmpty: true });
        if (seeded) {
          process.stdout.write(`Registered ${await seedDemoPeople(db, encryption, { households: DEMO_HOUSEHOLDS })} fictitious demo people.\n`);
          process.stdout.write(`Opened ${await seedDemoCases(db, encryption)} fictitious demo cases.\n`);
        }
        process.stdout.write(seeded ? formatDemoCredentials(seeded.accounts, `http://localhost:${config.port}`) : 'Users exist already; nothing seeded.\n');
      });
      return;
    }
    case 'user create': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, office: { type: 'string' }, 'password-env': { type: 'string' } },
        strict: true,
      });
      if (!values.email || !values.name || !values.role || !values.office) fail('--email, --name, --role and --office are required (see --help)');
      if (!(ROLES as readonly string[]).includes(values.role)) fail(`--role must be one of: ${ROLES.join(', ')}`);
      const password = process.env[values['password-env'] ?? 'PASSAGE_NEW_PASSWORD'];
      if (!password) fail(`set the password in ${values['password-env'] ?? 'PASSAGE_NEW_PASSWORD'}`);
      await withDatabase(async ({ db }) => {
        let office = await db.selectFrom('office').select('id').where('code', '=', values.office!).executeTakeFirst();
        if (!office) {
          const anyOffice = await db.selectFrom('office').select('id').limit(1).executeTakeFirst();
          if (anyOffice) fail(`no office with code ${values.office}`);
          office = await db.insertInto('office').values({ code: values.office!, name: values.office!, kind: 'global', parent_id: null, country_code: null }).returning('id').executeTakeFirstOrThrow();
        }
        const user = await createUser(db, null, { email: values.email!.trim().toLowerCase(), displayName: values.name!, password, roles: [{ officeId: office.id, role: values.role as Role }] });
        process.stdout.write(`Created user ${user.id} (${values.role} at ${values.office}).\n`);
      });
      return;
    }
    case 'keys rotate': {
      const { values } = parseArgs({ args: rest, options: { 'new-key-env': { type: 'string' } }, strict: true });
      const config = loadConfig();
      const newKeyVar = values['new-key-env'];
      const newKey = newKeyVar ? Buffer.from(process.env[newKeyVar] ?? '', 'base64') : null;
      if (newKey && newKey.length !== 32) fail(`${newKeyVar} must hold 32 bytes, base64-encoded`);
      await withDatabase(async ({ db }) => {
        const encryption = await EncryptionService.open(db, resolveMasterKey(config.masterKey, config.dataDir, (m) => process.stderr.write(`${m}\n`)));
        if (newKey) {
          const n = await encryption.rotateMasterKey(newKey);
          if (config.masterKey) {
            process.stdout.write(`Re-wrapped ${n} data keys under the new master key. Set PASSAGE_MASTER_KEY to it before the next start.\n`);
          } else {
            // The demo's local key file follows the rotation, so the next start just works.
            fs.writeFileSync(path.join(config.dataDir, 'secrets', 'master.key'), `${newKey.toString('base64')}\n`, { mode: 0o600 });
            process.stdout.write(`Re-wrapped ${n} data keys; the local key file now holds the new master key.\n`);
          }
        }
        const id = await encryption.rotateDataKey();
        await writeAuditNow(db, { actorId: null, action: newKey ? 'keys.rotate_master' : 'keys.rotate_data', entityType: 'data_key', entityId: id });
        process.stdout.write(`New data key ${id} is active.\n`);
      });
      return;
    }
    case 'audit verify': {
      const result = await withDatabase(({ db }) => verifyAuditTrail(db));
      if (result.broken) {
        process.stdout.write(`BROKEN: audit event ${result.broken.id} (${result.broken.reason}); ${result.checked} events before it are intact.\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`OK: ${result.checked} audit events, chain intact.\n`);
      }
      return;
    }
  }
}

