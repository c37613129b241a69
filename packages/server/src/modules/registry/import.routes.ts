import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IMPORT_TARGETS, PassageError, notFound } from '@passage/domain';
import type { ImportJobRow } from '@passage/db';
import { MAX_IMPORT_BYTES, TabularError, autoMapHeaders, openTableFile } from '@passage/tabular';
import type { AppDeps } from '../../platform/http-types.ts';
import { Uuid } from '../../platform/schemas.ts';
import { IMPORT_JOB, uploadsDir } from './import.job.ts';

const ImportJobDto = z.object({
  id: z.string(),
  officeId: z.string(),
  fileName: z.string(),
  mode: z.enum(['dry_run', 'all_or_nothing', 'valid_rows']),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  rowsRead: z.number(),
  rowsValid: z.number(),
  rowsInvalid: z.number(),
  rowsCreated: z.number(),
  rowsExisting: z.number(),
  problemCount: z.number(),
  problems: z.array(z.object({ row: z.number(), column: z.string().nullable(), message: z.string() })),
  message: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

function toJobDto(j: ImportJobRow): z.infer<typeof ImportJobDto> {
  return {
    id: j.id,
    officeId: j.office_id,
    fileName: j.file_name,
    mode: j.mode,
    status: j.status,
    rowsRead: Number(j.rows_read),
    rowsValid: Number(j.rows_valid),
    rowsInvalid: Number(j.rows_invalid),
    rowsCreated: Number(j.rows_created),
    rowsExisting: Number(j.rows_existing),
    problemCount: Number(j.problem_count),
    problems: j.problems as z.infer<typeof ImportJobDto>['problems'],
    message: j.message,
    createdAt: j.created_at.toISOString(),
    finishedAt: j.finished_at ? j.finished_at.toISOString() : null,
  };
}

/** Content types an upload may have: the file itself, as the request body. */
const UPLOAD_TYPES = ['text/csv', 'text/plain', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel'];

interface UploadMeta {
  userId: string;
  fileName: string;
  bytes: number;
}

/** Bulk import of people from CSV or XLSX files: upload, map columns, dry run, import, progress, cancel. */
export const importRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const dir = uploadsDir(deps.config.dataDir);
  const tags = ['registry import'];
  // In this plugin only, files arrive as raw streams (the rest of the API takes JSON alone).
  for (const type of UPLOAD_TYPES) app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

  const uploadPath = (uploadId: string) => path.join(dir, uploadId);
  const readMeta = async (uploadId: string): Promise<UploadMeta | null> => {
    try {
      return JSON.parse(await fs.promises.readFile(`${uploadPath(uploadId)}.json`, 'utf8')) as UploadMeta;
    } catch {
      return null;
    }
  };

  app.post('/api/registry/imports/uploads', {
    config: { policy: { access: 'permission', permission: 'registry.import' } },
    bodyLimit: MAX_IMPORT_BYTES,
    schema: {
      tags,
      summary: 'Upload a CSV or XLSX file (the raw file as the body); answers with its columns and a suggested mapping',
      querystring: z.object({ fileName: z.string().trim().min(1).max(200).regex(/^[^/\\]+$/, 'a file name, not a path') }).strict(),
      body: z.unknown().describe('The file itself (text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), at most 1 GiB'),
      response: {
        201: z.object({
          uploadId: z.string(),
          fileName: z.string(),
          bytes: z.number(),
          format: z.enum(['csv', 'xlsx']),
          encoding: z.string(),
          delimiter: z.string().nullable(),
          columns: z.array(z.string()),
          targets: z.array(z.object({ key: z.string(), label: z.string(), required: z.boolean() })),
          suggestedMapping: z.record(z.string(), z.string().nullable()),
          missingRequired: z.array(z.string()),
        }),
      },
    },
  }, async (request, reply) => {
    const body = request.body as Readable | undefined;
    if (!body || typeof (body as Readable).pipe !== 'function') {
      throw new PassageError('unsupported_media_type', 'Send the file itself as the body (Content-Type text/csv or the XLSX type)');
    }
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (declared > MAX_IMPORT_BYTES) {
      body.resume();
      throw new PassageError('payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 ** 3} GiB; split it into smaller files`);
    }
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
    const uploadId = crypto.randomUUID();
    const target = uploadPath(uploadId);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        if (bytes > MAX_IMPORT_BYTES) cb(new PassageError('payload_too_large', 'The file is larger than 1 GiB'));
        else cb(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, fs.createWriteStream(target, { mode: 0o600 }));
    } catch (error) {
      await fs.promises.rm(target, { force: true });
      throw error;
    }
    try {
      const table = await openTableFile(target);
      await table.close();
      const { header } = table;
      const mapped = autoMapHeaders(header.columns, IMPORT_TARGETS.map((t) => ({ key: t.key, label: t.label, required: t.required ?? false, synonyms: t.synonyms ?? [] })));
      const meta: UploadMeta = { userId: request.auth!.principal.userId, fileName: request.query.fileName, bytes };
      await fs.promises.writeFile(`${target}.json`, JSON.stringify(meta), { mode: 0o600 });
      return reply.code(201).send({
        uploadId,
        fileName: meta.fileName,
        bytes,
        format: header.format,
        encoding: header.encoding,
        delimiter: header.delimiter,
        columns: header.columns,
        targets: IMPORT_TARGETS.map((t) => ({ key: t.key, label: t.label, required: t.required ?? false })),
        suggestedMapping: mapped.mapping,
        missingRequired: mapped.missingRequired,
      });
    } catch (error) {
      await fs.promises.rm(target, { force: true });
      if (error instanceof TabularError) {
        const p = error.problem;
        throw new PassageError('validation_failed', `The file cannot be read: ${error.message}`, { errors: [{ field: p.column ? `file.column.${p.column}` : p.row ? `file.row.${p.row}` : 'file', message: error.message }], extra: { fileProblem: error.code } });
      }
      throw error;
    }
  });

  const Mapping = z.partialRecord(z.enum(IMPORT_TARGETS.map((t) => t.key) as [string, ...string[]]), z.string().max(200).nullable());

  app.post('/api/registry/imports', {
    config: { policy: { access: 'permission', permission: 'registry.import' } },
    schema: {
      tags,
      summary: 'Start an import (or a dry run) of an uploaded file with a column mapping; runs in the background',
      body: z
        .object({
          uploadId: Uuid,
          officeId: Uuid,
          mapping: Mapping,
          mode: z.enum(['dry_run', 'all_or_nothing', 'valid_rows']),
          saveTemplateAs: z.string().trim().min(1).max(100).optional(),
        })
        .strict(),
      response: { 202: ImportJobDto },
    },
  }, async (request, reply) => {
    const { uploadId, officeId, mode, saveTemplateAs } = request.body;
    const mapping: Record<string, string | null> = Object.fromEntries(Object.entries(request.body.mapping).map(([k, v]) => [k, v ?? null]));
    const principal = request.auth!.principal;
    const policy = await deps.offices.policy();
    if (!policy.canAt(principal, 'registry.import', officeId) || !policy.canAt(principal, 'registry.register', officeId)) {
      throw new PassageError('forbidden', 'You may import only into offices where you register people', { errors: [{ field: 'officeId', message: 'not an office you import for' }] });
    }
    const meta = await readMeta(uploadId);
    if (!meta || meta.userId !== principal.userId) throw notFound('Upload');
    const missing = IMPORT_TARGETS.filter((t) => t.required && !mapping[t.key]).map((t) => t.key);
    if (missing.length > 0) throw new PassageError('validation_failed', 'Some required columns are not mapped', { errors: missing.map((k) => ({ field: `mapping.${k}`, message: 'map a column of the file to this field' })) });
    const table = await openTableFile(uploadPath(uploadId));
    await table.close();
    const { header } = table;
    const unknown = Object.entries(mapping).filter(([, c]) => c !== null && !header.columns.includes(c));
    if (unknown.length > 0) throw new PassageError('validation_failed', 'The mapping names columns the file does not have', { errors: unknown.map(([k, c]) => ({ field: `mapping.${k}`, message: `no column "${c}" in the file` })) });
    const job = await deps.db.transaction().execute(async (trx) => {
      if (saveTemplateAs) {
        await trx.insertInto('import_template').values({ office_id: officeId, name: saveTemplateAs, mapping, created_by: principal.userId }).onConflict((oc) => oc.columns(['office_id', 'name']).doUpdateSet({ mapping, created_by: principal.userId })).execute();
      }
      return trx
        .insertInto('import_job')
        .values({ office_id: officeId, created_by: principal.userId, file_name: meta.fileName, file_path: uploadPath(uploadId), file_bytes: meta.bytes, mapping, mode })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    await deps.jobs.send(IMPORT_JOB, { importJobId: job.id });
    return reply.code(202).send(toJobDto(job));
  });

  app.get('/api/registry/imports/:id', {
    config: { policy: { access: 'permission', permission: 'registry.import' } },
    schema: { tags, summary: 'An import: status, progress, problems by row and column', params: z.object({ id: Uuid }), response: { 200: ImportJobDto } },
  }, async (request) => {
    const job = await deps.db.selectFrom('import_job').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    const policy = await deps.offices.policy();
    if (!job || !policy.canAt(request.auth!.principal, 'registry.import', job.office_id)) throw notFound('Import');
    return toJobDto(job);
  });

  app.post('/api/registry/imports/:id/cancel', {
    config: { policy: { access: 'permission', permission: 'registry.import' } },
    schema: { tags, summary: 'Cancel an import: nothing of it stays', params: z.object({ id: Uuid }), body: z.object({}).strict(), response: { 200: ImportJobDto } },
  }, async (request) => {
    const job = await deps.db.selectFrom('import_job').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    const policy = await deps.offices.policy();
    if (!job || !policy.canAt(request.auth!.principal, 'registry.import', job.office_id)) throw notFound('Import');
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') throw new PassageError('conflict', `The import has already ${job.status === 'cancelled' ? 'been cancelled' : 'finished'}`);
    const updated = await deps.db
      .updateTable('import_job')
      .set((eb) => ({ cancel_requested: true, status: eb.case().when('status', '=', 'queued').then('cancelled' as const).else(eb.ref('status')).end(), finished_at: eb.case().when('status', '=', 'queued').then(new Date()).else(eb.ref('finished_at')).end() }))
      .where('id', '=', job.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toJobDto(updated);
  });

  app.get('/api/registry/import-templates', {
    config: { policy: { access: 'permission', permission: 'registry.import' } },
    schema: { tags, summary: 'Saved column mappings of an office', querystring: z.object({ officeId: Uuid }).strict(), response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), mapping: z.record(z.string(), z.string().nullable()) })) }) } },
  }, async (request) => {
    const policy = await deps.offices.policy();
    if (!policy.canAt(request.auth!.principal, 'registry.import', request.query.officeId)) return { items: [] };
    const rows = await deps.db.selectFrom('import_template').select(['id', 'name', 'mapping']).where('office_id', '=', request.query.officeId).orderBy('name').execute();
    return { items: rows };
  });

};
