import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { OFFICE_KINDS, PassageError, notFound } from '@passage/domain';
import { writeAudit } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/http-types.ts';
import { Uuid, isUniqueViolation } from '../../platform/schemas.ts';
import { findOffice, toOfficeDto } from './offices.repository.ts';

const OfficeSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(OFFICE_KINDS),
  countryCode: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
});

const CreateOffice = z.object({
  parentId: Uuid.nullable(),
  code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,15}$/, '2–16 capital letters, digits or hyphens'),
  name: z.string().trim().min(1).max(200),
  kind: z.enum(OFFICE_KINDS),
  countryCode: z.string().regex(/^[A-Z]{3}$/, 'ISO 3166-1 alpha-3 code').nullable().optional(),
}).strict();

const UpdateOffice = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  active: z.boolean().optional(),
  version: z.number().int().min(1),
}).strict();

/** Offices: read by anyone with `offices.read` within their scope; managed by administrators of the parent. */
export const officeRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/offices', {
    config: { policy: { access: 'permission', permission: 'offices.read' } },
    schema: { tags: ['offices'], summary: 'Offices you can see', response: { 200: z.object({ items: z.array(OfficeSchema) }) } },
  }, async (request) => {
    const policy = await deps.offices.policy();
    const rows = await deps.offices.list(policy.scope(request.auth!.principal, 'offices.read'));
    return { items: rows.map(toOfficeDto) };
  });

  app.post('/api/offices', {
    config: { policy: { access: 'permission', permission: 'offices.manage' } },
    schema: { tags: ['offices'], summary: 'Create an office under one you administer', body: CreateOffice, response: { 201: OfficeSchema } },
  }, async (request, reply) => {
    const body = request.body;
    const policy = await deps.offices.policy();
    const principal = request.auth!.principal;
    if (body.parentId === null ? !policy.canGlobally(principal, 'offices.manage') : !policy.canAt(principal, 'offices.manage', body.parentId)) {
      throw new PassageError('forbidden', 'You may create offices only under an office you administer', { errors: [{ field: 'parentId', message: 'not an office you administer' }] });
    }
    const row = await deps.db.transaction().execute(async (trx) => {
      if (body.parentId && !(await findOffice(trx, body.parentId))) throw notFound('Parent office');
      const created = await trx
        .insertInto('office')
        .values({ parent_id: body.parentId, code: body.code, name: body.name, kind: body.kind, country_code: body.countryCode ?? null })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new PassageError('conflict', 'An office with this code exists', { errors: [{ field: 'code', message: 'already used' }] });
          throw error;
        });
      await writeAudit(trx, { actorId: principal.userId, action: 'office.create', entityType: 'office', entityId: created.id, officeId: created.id, requestId: request.id, changedFields: Object.keys(body) });
      return created;
    });
    deps.offices.invalidate();
    return reply.code(201).send(toOfficeDto(row));
  });

  app.patch('/api/offices/:id', {
    config: { policy: { access: 'permission', permission: 'offices.manage' } },
    schema: { tags: ['offices'], summary: 'Rename or (de)activate an office', params: z.object({ id: Uuid }), body: UpdateOffice, response: { 200: OfficeSchema } },
  }, async (request) => {
    const { id } = request.params;
    const body = request.body;
    const policy = await deps.offices.policy();
    const principal = request.auth!.principal;
    if (!policy.canAt(principal, 'offices.manage', id)) throw notFound('Office');
    const row = await deps.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('office').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!current) throw notFound('Office');
      if (current.version !== body.version) {
        throw new PassageError('stale_version', 'The office was changed by someone else', { extra: { current: toOfficeDto(current) } });
      }
      const changed = (['name', 'active'] as const).filter((k) => body[k] !== undefined && body[k] !== current[k]);
      const updated = await trx
        .updateTable('office')
        .set({ ...(body.name !== undefined ? { name: body.name } : {}), ...(body.active !== undefined ? { active: body.active } : {}), version: current.version + 1, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await writeAudit(trx, { actorId: principal.userId, action: 'office.update', entityType: 'office', entityId: id, officeId: id, requestId: request.id, changedFields: changed });
      return updated;
    });
    deps.offices.invalidate();
    return toOfficeDto(row);
  });
};
