import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '@passage/domain';
import type { AppDeps } from '../../platform/http-types.ts';
import { Email, Uuid } from '../../platform/schemas.ts';
import { listUsers, toUserSummary, grantsOf } from './users.repository.ts';
import { createUser, getUser, resetUserMfa, setUserStatus, updateUser, type Actor } from './users.service.ts';

const Grant = z.object({ officeId: Uuid, role: z.enum(ROLES) }).strict();
const RoleGrant = z.object({ officeId: z.string(), officeCode: z.string(), officeName: z.string(), role: z.enum(ROLES) });
/** A user account as administrators see it. */
export const UserSummary = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  status: z.enum(['active', 'deactivated']),
  mfaEnabled: z.boolean(),
  roles: z.array(RoleGrant),
  lastLoginAt: z.string().nullable(),
  version: z.number().int(),
});
const DisplayName = z.string().trim().min(1).max(200);
const Params = z.object({ id: Uuid });
const EmptyBody = z.object({}).strict();

const manage = { policy: { access: 'permission', permission: 'users.manage' } } as const;

/** User administration. Administrators act within the offices where they hold the role. */
export const userRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const actorOf = async (request: FastifyRequest): Promise<Actor> => ({ principal: request.auth!.principal, policy: await deps.offices.policy(), requestId: request.id });

  app.get('/api/users', {
    config: { policy: { access: 'permission', permission: 'users.read' } },
    schema: {
      tags: ['users'],
      summary: 'Accounts with a role at an office you may see',
      querystring: z.object({
        q: z.string().trim().max(200).optional(),
        officeId: Uuid.optional(),
        status: z.enum(['active', 'deactivated']).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }).strict(),
      response: { 200: z.object({ items: z.array(UserSummary), total: z.number().int() }) },
    },
  }, async (request) => {
    const actor = await actorOf(request);
    const { rows, total } = await listUsers(deps.db, {
      scope: actor.policy.scope(actor.principal, 'users.read'),
      includeUnassigned: actor.policy.canGlobally(actor.principal, 'users.read'),
      ...request.query,
    });
    const grants = await grantsOf(deps.db, rows.map((r) => r.id));
    return { items: rows.map((r) => toUserSummary(r, grants.get(r.id) ?? [])), total };
  });

  app.post('/api/users', {
    config: manage,
    schema: {
      tags: ['users'],
      summary: 'Create an account',
      body: z.object({ email: Email, displayName: DisplayName, password: z.string().max(1024), roles: z.array(Grant).max(50) }).strict(),
      response: { 201: UserSummary },
    },
  }, async (request, reply) => reply.code(201).send(await createUser(deps.db, await actorOf(request), request.body)));

  app.get('/api/users/:id', {
    config: { policy: { access: 'permission', permission: 'users.read' } },
    schema: { tags: ['users'], summary: 'One account', params: Params, response: { 200: UserSummary } },
  }, async (request) => getUser(deps.db, await actorOf(request), request.params.id));

  app.patch('/api/users/:id', {
    config: manage,
    schema: {
      tags: ['users'],
      summary: 'Edit display name and role grants',
      params: Params,
      body: z.object({ displayName: DisplayName.optional(), roles: z.array(Grant).max(50).optional(), version: z.number().int().min(1) }).strict(),
      response: { 200: UserSummary },
    },
  }, async (request) => updateUser(deps.db, await actorOf(request), request.params.id, request.body));

  app.post('/api/users/:id/deactivate', {
    config: manage,
    schema: { tags: ['users'], summary: 'Deactivate an account (ends its sessions)', params: Params, body: EmptyBody, response: { 200: UserSummary } },
  }, async (request) => setUserStatus(deps.db, await actorOf(request), request.params.id, 'deactivated'));

  app.post('/api/users/:id/reactivate', {
    config: manage,
    schema: { tags: ['users'], summary: 'Reactivate an account', params: Params, body: EmptyBody, response: { 200: UserSummary } },
  }, async (request) => setUserStatus(deps.db, await actorOf(request), request.params.id, 'active'));

  app.post('/api/users/:id/reset-mfa', {
    config: manage,
    schema: { tags: ['users'], summary: 'Reset two-factor authentication', params: Params, body: EmptyBody, response: { 200: UserSummary } },
  }, async (request) => resetUserMfa(deps.db, await actorOf(request), request.params.id));
};
