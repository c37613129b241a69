import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '@passage/db';
import { effectiveNeeds, isoDay, parseImportRow, toE164, documentKey, type ImportProblem, type ImportedPerson } from '@passage/domain';
import { openTableFile, TabularError } from '@passage/tabular';
import { writeAudit } from '../../platform/audit.ts';
import type { EncryptionService } from '../../platform/encryption.ts';
import { NEEDS_FIELD, needsIndex, needsIndexKey, reserveRegistrationIds, searchColumns } from './registry.repository.ts';

/** The job's name on the queue. */
export const IMPORT_JOB = 'registry.import';
/** Problems kept on the job for the user to read (all are counted). */
export const PROBLEMS_KEPT = 1000;
/** Rows between progress updates and cancellation checks. */
const PROGRESS_EVERY = 5000;
/** Registration ids reserved per round trip. */
const ID_BLOCK = 2000;

export interface ImportDeps {
  db: Kysely<Database>;
  pool: pg.Pool;
  encryption: EncryptionService;
}

class Cancelled extends Error {}

/**
 * Time-ordered UUIDs (version 7, RFC 9562: 48 bits of Unix milliseconds, then random bits) for the people and
 * households an import creates: a million new keys land at the right-hand end of the primary-key and foreign-key
 * b-trees instead of on random pages all over them, and the foreign-key checks that follow find them in cache.
 */
export function orderedUuids(): () => string {
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + 10 > pool.length) {
      pool = crypto.randomBytes(10 * 4096);
      at = 0;
    }
    const b = Buffer.alloc(16);
    b.writeUIntBE(Date.now(), 0, 6);
    pool.copy(b, 6, at, at + 10);
    at += 10;
    b[6] = (b[6]! & 0x0f) | 0x70; // version 7
    b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}

// ---------------------------------------------------------------------------------------------
// COPY text format

/** One value in PostgreSQL's COPY text format. */
function copyValue(v: string | null): string {
  if (v === null) return '\\N';
  return v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
/** A text[] literal. */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const STAGE_COLUMNS = [
  'id', 'row_number', 'registration_id', 'external_id', 'household_id', 'relationship', 'given_name', 'middle_name', 'family_name',
  'full_name_original', 'aliases', 'sex', 'date_of_birth', 'dob_precision', 'nationality', 'country_of_birth', 'languages', 'phones',
  'admin_area_code', 'population_group', 'specific_needs_sealed', 'needs_index', 'search_text', 'name_keys', 'name_pair', 'doc_type',
  'doc_number', 'doc_key', 'doc_country',
] as const;

/**
 * Runs one import job: streams the file, checks every row, and (unless a dry run) writes the valid
 * people in ONE transaction — all rows or none in "all or nothing" mode, the valid ones otherwise.
 * Rows whose external id is already registered at the office are skipped, so re-importing a file
 * creates nothing new. Cancelling rolls the transaction back: no half-imported rows.
 */
export async function runImportJob(deps: ImportDeps, jobId: string): Promise<void> {
  const job = await deps.db.selectFrom('import_job').innerJoin('office', 'office.id', 'import_job.office_id').selectAll('import_job').select(['office.code as office_code', 'office.country_code']).where('import_job.id', '=', jobId).executeTakeFirst();
  if (!job || job.status !== 'queued') return;
  await deps.db.updateTable('import_job').set({ status: 'running', started_at: new Date() }).where('id', '=', jobId).execute();
  const write = job.mode !== 'dry_run';
  const today = isoDay(new Date());
  const counts = { read: 0, valid: 0, invalid: 0, created: 0, existing: 0, problems: 0 };
  const problems: ImportProblem[] = [];
  const addProblems = (ps: readonly ImportProblem[]) => {
    counts.problems += ps.length;
    for (const p of ps) if (problems.length < PROBLEMS_KEPT) problems.push(p);
  };
  const progress = async () => {
    const row = await deps.db
      .updateTable('import_job')
      .set({ rows_read: String(counts.read), rows_valid: String(counts.valid), rows_invalid: String(counts.invalid), problem_count: String(counts.problems) })
      .where('id', '=', jobId)
      .returning('cancel_requested')
      .executeTakeFirstOrThrow();
    if (row.cancel_requested) throw new Cancelled();
  };

  const client = write ? await deps.pool.connect() : null;
  let inTransaction = false;
  // While COPY runs the connection takes nothing else: a failure must abort the COPY before rolling back.
  let abortCopy: (() => Promise<void>) | null = null;
  try {
    const { rows } = await openTableFile(job.file_path);
    // Registration ids come in blocks from short transactions of their own, so a long import does not hold the office's sequence.
    let ids: string[] = [];
    const nextId = async () => {
      if (ids.length === 0) ids = await reserveRegistrationIds(deps.db, job.office_id, job.office_code, ID_BLOCK);
      return ids.shift()!;
    };
    // The blind-index key is derived (HKDF) once for the whole file, not once per row.
    const needsKey = needsIndexKey(deps.encryption);
    const newId = orderedUuids();
    const seenExternal = new Set<string>();
    const households = new Map<string, string>();

    let copy: Writable | null = null;
    let copyDone: Promise<unknown> | null = null;
    let lines: string[] = [];
    if (client) {
      await client.query('BEGIN');
      inTransaction = true;
      // This transaction only: the final statements group and index a whole file (households, GIN pending lists).
      await client.query(`SET LOCAL work_mem = '64MB'`);
      await client.query(`CREATE TEMP TABLE import_stage (
          id uuid, row_number integer, registration_id text, external_id text, household_id uuid, relationship text,
          given_name text, middle_name text, family_name text, full_name_original text, aliases text[], sex text,
          date_of_birth date, dob_precision text, nationality text, country_of_birth text, languages text[], phones text[],
          admin_area_code text, population_group text, specific_needs_sealed text, needs_index text[], search_text text,
          name_keys text[], name_pair text, doc_type text, doc_number text, doc_key text, doc_country text, existing boolean NOT NULL DEFAULT false
        ) ON COMMIT DROP`);
      copy = client.query(copyFrom(`COPY import_stage (${STAGE_COLUMNS.join(', ')}) FROM STDIN`));
      copyDone = finished(copy);
      copyDone.catch(() => undefined); // awaited below; an early failure must not be unhandled meanwhile
      const stream = copy;
      abortCopy = async () => {
        stream.destroy(new Error('import aborted'));
        await copyDone!.catch(() => undefined);
      };
    }
    const flush = async () => {
      if (lines.length === 0 || !copy) return;
      const chunk = lines.join('');
      lines = [];
      // Back-pressure: memory stays bounded however large the file.
      if (!copy.write(chunk)) await Promise.race([once(copy, 'drain'), copyDone]);
    };

    for await (const { row, values } of rows) {
      counts.read++;
      const parsed = parseImportRow(values, row, job.mapping, today);
      let person: ImportedPerson | null = parsed.person;
      const rowProblems: ImportProblem[] = [...parsed.problems];
      let phone: string | null = null;
      if (person) {
        if (person.externalId !== null) {
          if (seenExternal.has(person.externalId)) rowProblems.push({ row, column: job.mapping.external_id ?? 'external_id', message: 'this external id appears on an earlier row' });
          else seenExternal.add(person.externalId);
        }
        if (person.phone) {
          phone = toE164(person.phone, person.nationality) ?? toE164(person.phone, job.country_code);
          if (!phone) rowProblems.push({ row, column: job.mapping.phone ?? 'phone', message: `"${person.phone}" is not a valid phone number` });
        }
        if (rowProblems.length > 0) person = null;
      }
      if (!person) {
        counts.invalid++;
        addProblems(rowProblems);
      } else {
        counts.valid++;
        if (write) {
          const id = newId();
          let householdId: string | null = null;
          if (person.householdRef) {
            householdId = households.get(person.householdRef) ?? newId();
            households.set(person.householdRef, householdId);
          }
          const needs = person.specificNeeds.length > 0 ? { needs: person.specificNeeds } : null;
          const search = searchColumns(person);
          const values: (string | null)[] = [
            id, String(row), await nextId(), person.externalId, householdId, householdId ? (person.relationship ?? 'unrelated') : person.relationship,
            person.givenName, person.middleName, person.familyName, person.fullNameOriginal, arrayLiteral(person.aliases), person.sex,
            person.dateOfBirth, person.dobPrecision, person.nationality, person.countryOfBirth, arrayLiteral(person.languages), arrayLiteral(phone ? [phone] : []),
            person.adminAreaCode, person.populationGroup,
            needs ? deps.encryption.seal(JSON.stringify(needs), id, NEEDS_FIELD) : null,
            arrayLiteral(needs ? needsIndex(needsKey, effectiveNeeds(needs)) : []),
            search.search_text, arrayLiteral(search.name_keys), search.name_pair,
            person.documentNumber ? person.documentType : null, person.documentNumber, person.documentNumber ? documentKey(person.documentNumber) : null, person.documentCountry,
          ];
          lines.push(`${values.map(copyValue).join('\t')}\n`);
          if (lines.length >= 500) await flush();
        }
      }
      if (counts.read % PROGRESS_EVERY === 0) await progress();
    }
    await progress();

    if (!client) {
      await finish(deps, jobId, 'succeeded', counts, problems, `Dry run: ${counts.valid} rows can be imported, ${counts.invalid} have problems.`);
      return;
    }
    await flush();
    copy!.end();
    await copyDone;
    abortCopy = null;
    if (job.mode === 'all_or_nothing' && counts.invalid > 0) {
      await client.query('ROLLBACK');
      inTransaction = false;
      await finish(deps, jobId, 'failed', counts, problems, `Nothing imported: ${counts.invalid} rows have problems (all or nothing).`);
      return;
    }
    // Kysely over this one connection (inside the open transaction): it "releases" a wrapper, never the connection itself.
    const conn = client;
    const wrapper = { query: conn.query.bind(conn), release: () => undefined };
    const single = new Kysely<Database>({ dialect: new PostgresDialect({ pool: { connect: async () => wrapper, end: async () => undefined } as unknown as pg.Pool }) });
    await sql`UPDATE import_stage s SET existing = true FROM person p WHERE p.office_id = ${job.office_id} AND p.external_id = s.external_id`.execute(single);
    await sql`INSERT INTO household (id, office_id, head_person_id, created_by)
              SELECT household_id, ${job.office_id}, (array_agg(id) FILTER (WHERE relationship = 'head'))[1], ${job.created_by}
              FROM import_stage WHERE NOT existing AND household_id IS NOT NULL GROUP BY household_id`.execute(single);
    const inserted = await sql`INSERT INTO person (id, office_id, registration_id, external_id, household_id, relationship, given_name, middle_name, family_name,
                full_name_original, aliases, sex, date_of_birth, dob_precision, nationality, country_of_birth, languages, phones, admin_area_code,
                population_group, specific_needs_sealed, needs_index, search_text, name_keys, name_pair, registered_by, import_job_id)
              SELECT id, ${job.office_id}, registration_id, external_id, household_id, relationship, given_name, middle_name, family_name,
                full_name_original, aliases, sex, date_of_birth, dob_precision, nationality, country_of_birth, languages, phones, admin_area_code,
                population_group, specific_needs_sealed, needs_index, search_text, name_keys, name_pair, ${job.created_by}, ${jobId}
              FROM import_stage WHERE NOT existing`.execute(single);
    counts.created = Number(inserted.numAffectedRows ?? 0);
    counts.existing = counts.valid - counts.created;
    await sql`INSERT INTO household_membership (household_id, person_id, office_id, relationship, added_by)
              SELECT household_id, id, ${job.office_id}, relationship, ${job.created_by} FROM import_stage WHERE NOT existing AND household_id IS NOT NULL`.execute(single);
    await sql`INSERT INTO identity_document (person_id, office_id, type, number, number_key, issuing_country)
              SELECT id, ${job.office_id}, doc_type, doc_number, doc_key, doc_country FROM import_stage WHERE NOT existing AND doc_number IS NOT NULL`.execute(single);
    // The cancel button may have been pressed while the rows were written.
    const cancel = await deps.db.selectFrom('import_job').select('cancel_requested').where('id', '=', jobId).executeTakeFirstOrThrow();
    if (cancel.cancel_requested) throw new Cancelled();
    await writeAudit(single, {
      actorId: job.created_by,
      action: 'person.import',
      entityType: 'import_job',
      entityId: jobId,
      officeId: job.office_id,
      purpose: 'registration',
      details: { created: counts.created, existing: counts.existing, invalid: counts.invalid, mode: job.mode },
    });
    await sql`UPDATE import_job SET status = 'succeeded', finished_at = now(), rows_read = ${counts.read}, rows_valid = ${counts.valid}, rows_invalid = ${counts.invalid},
              rows_created = ${counts.created}, rows_existing = ${counts.existing}, problem_count = ${counts.problems}, problems = ${JSON.stringify(problems)}::jsonb,
              message = ${`${counts.created} people imported, ${counts.existing} already registered, ${counts.invalid} rows with problems skipped.`}
              WHERE id = ${jobId}`.execute(single);
    await client.query('COMMIT');
    inTransaction = false;
  } catch (error) {
    if (abortCopy) await abortCopy();
    if (client && inTransaction) await client.query('ROLLBACK').catch(() => undefined);
    if (error instanceof Cancelled) await finish(deps, jobId, 'cancelled', counts, problems, 'Cancelled: nothing was imported.');
    else if (error instanceof TabularError) {
      addProblems([{ row: error.problem.row ?? 0, column: error.problem.column, message: error.message }]);
      await finish(deps, jobId, 'failed', counts, problems, `The file cannot be read: ${error.message}`);
    } else {
      await finish(deps, jobId, 'failed', counts, problems, 'The import failed unexpectedly; nothing was imported.');
      throw error;
    }
  } finally {
    client?.release();
    // The uploaded file holds personal data: it is kept only until an import has used it (a dry run keeps it for the real run).
    if (write) await fs.promises.rm(job.file_path, { force: true });
  }
}

async function finish(deps: ImportDeps, jobId: string, status: 'succeeded' | 'failed' | 'cancelled', counts: { read: number; valid: number; invalid: number; created: number; existing: number; problems: number }, problems: ImportProblem[], message: string): Promise<void> {
  await deps.db
    .updateTable('import_job')
    .set({
      status,
      finished_at: new Date(),
      rows_read: String(counts.read),
      rows_valid: String(counts.valid),
      rows_invalid: String(counts.invalid),
      rows_created: String(status === 'succeeded' ? counts.created : 0),
      rows_existing: String(status === 'succeeded' ? counts.existing : 0),
      problem_count: String(counts.problems),
      problems: JSON.stringify(problems) as unknown as unknown[],
      message,
    })
    .where('id', '=', jobId)
    .execute();
}

/** Where uploads wait for their import: inside the data folder, never anywhere a request names. */
export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'imports');
}
