import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PassageError } from '@passage/domain';
import { auditChainStatus, writeAuditNow } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/http-types.ts';
import { Uuid } from '../../platform/schemas.ts';

const AuditEvent = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  officeId: z.string().nullable(),
  purpose: z.string().nullable(),
  requestId: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  changedFields: z.array(z.string()),
});

const ChainStatus = z.object({
  linked: z.number().int(),
  waiting: z.number().int(),
  oldestWaitingSeconds: z.number().nullable(),
  lastLinkedEventAt: z.string().nullable(),
});

/** The audit viewer's API: data-protection officers and administrators, newest first, filterable. */
export const auditRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get('/api/audit/chain', {
    config: { policy: { access: 'permission', permission: 'audit.read' } },
    schema: {
      tags: ['audit'],
      summary: 'The audit hash chain: events linked, events waiting for the linker (counts only; audit.read at every office)',
      response: { 200: ChainStatus },
    },
  }, async (request) => {
    const policy = await deps.offices.policy();
    // Counts of every office's events: for those who may read the whole trail.
    if (!policy.canGlobally(request.auth!.principal, 'audit.read')) throw new PassageError('forbidden', 'The chain covers every office: it is shown to those who may read the whole audit trail');
    return auditChainStatus(deps.db);
  });
  app.get('/api/audit', {
    config: { policy: { access: 'permission', permission: 'audit.read' } },
    schema: {
      tags: ['audit'],
      summary: 'Audit events in your scope, newest first',
      querystring: z.object({
        actorId: Uuid.optional(),
        entityType: z.string().max(64).optional(),
        entityId: z.string().max(128).optional(),
        action: z.string().max(64).optional(),
        from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
        to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
        before: z.string().regex(/^\d{1,19}$/).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }).strict(),
      response: { 200: z.object({ items: z.array(AuditEvent), nextBefore: z.string().nullable() }) },
    },
  }, async (request) => {
    const q = request.query;
    const policy = await deps.offices.policy();
    const principal = request.auth!.principal;
    const global = policy.canGlobally(principal, 'audit.read');
    const scope = [...policy.scope(principal, 'audit.read')];
    let query = deps.db.selectFrom('audit_event').leftJoin('app_user', 'app_user.id', 'audit_event.actor_id');
    // Someone with audit rights over part of the tree sees events of those offices; system-wide events
    // (no office: sign-ins, failures) only with system-wide rights.
    if (!global) query = query.where('audit_event.office_id', 'in', scope.length ? scope : ['00000000-0000-0000-0000-000000000000']);
    if (q.actorId) query = query.where('audit_event.actor_id', '=', q.actorId);
    if (q.entityType) query = query.where('audit_event.entity_type', '=', q.entityType);
    if (q.entityId) query = query.where('audit_event.entity_id', '=', q.entityId);
    if (q.action) query = query.where('audit_event.action', '=', q.action);
    if (q.from) query = query.where('audit_event.at', '>=', new Date(q.from));
    if (q.to) query = query.where('audit_event.at', '<=', q.to.length === 10 ? new Date(`${q.to}T23:59:59.999Z`) : new Date(q.to));
    if (q.before) query = query.where('audit_event.id', '<', q.before);
    const rows = await query
      .select([
        'audit_event.id', 'audit_event.at', 'audit_event.actor_id', 'app_user.email', 'audit_event.action', 'audit_event.entity_type',
        'audit_event.entity_id', 'audit_event.office_id', 'audit_event.purpose', 'audit_event.request_id', 'audit_event.outcome', 'audit_event.changed_fields',
      ])
      .orderBy('audit_event.id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    // Looking at the audit trail is itself audited: who searched, with which filters (ids and dates only).
    await writeAuditNow(deps.db, {
      actorId: principal.userId,
      action: 'audit.search',
      entityType: 'audit_event',
      requestId: request.id,
      details: { filters: Object.fromEntries(Object.entries(q).filter(([k, v]) => v !== undefined && k !== 'limit')), results: page.length },
    });
    return {
      items: page.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actorId: r.actor_id,
        actorEmail: r.email,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        officeId: r.office_id,
        purpose: r.purpose,
        requestId: r.request_id,
        outcome: r.outcome,
        changedFields: r.changed_fields,
      })),
      nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
    };
  });
};
