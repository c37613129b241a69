import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PassageError, ScreenRequestSchema, ScreenResultDto, WatchlistDto } from '@passage/domain';
import type { AppDeps } from '../../platform/http-types.ts';
import { Uuid } from '../../platform/schemas.ts';
import type { Actor } from '../registry/registry.service.ts';
import { listWatchlists, screen, uploadWatchlist } from './screening.service.ts';

const UPLOAD_TYPES = ['text/csv', 'text/plain', 'application/octet-stream', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/** Screening a person's names against watchlists (for border and registration checks), and managing the lists. */
export const screeningRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const actor = async (request: FastifyRequest): Promise<Actor> => ({ principal: request.auth!.principal, policy: await deps.offices.policy(), requestId: request.id });
  const tags = ['screening'];
  for (const type of UPLOAD_TYPES) app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

  app.post('/api/screening/check', {
    config: { policy: { access: 'permission', permission: 'screening.check' } },
    schema: { tags, summary: "Screen one person's names (with date of birth and nationality when known) against the watchlists of your offices (audited, without the names)", body: ScreenRequestSchema, response: { 200: ScreenResultDto } },
  }, async (request) => screen(deps, await actor(request), request.body));

  app.get('/api/screening/watchlists', {
    config: { policy: { access: 'session' } },
    schema: { tags, summary: 'The watchlists serving your offices', response: { 200: z.array(WatchlistDto) } },
  }, async (request) => listWatchlists(deps, await actor(request)));

  app.post('/api/screening/watchlists', {
    config: { policy: { access: 'permission', permission: 'screening.manage' } },
    bodyLimit: 200 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Upload a watchlist (CSV or XLSX: entry_id, name, alias_of, date_of_birth, nationality) as the raw body; a list of the same name at the office is replaced in one transaction',
      querystring: z.object({ officeId: Uuid, name: z.string().trim().min(1).max(200), source: z.string().trim().max(500).optional(), fileName: z.string().trim().min(1).max(200).default('watchlist.csv') }).strict(),
      body: z.unknown().describe('The file itself'),
      response: { 201: WatchlistDto.extend({ danglingAliases: z.number().int() }) },
    },
  }, async (request, reply) => {
    const body = request.body as NodeJS.ReadableStream | undefined;
    if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') throw new PassageError('unsupported_media_type', 'Send the file itself as the request body (text/csv or XLSX)', { errors: [{ field: 'file', message: 'missing' }] });
    const q = request.query;
    return reply.code(201).send(await uploadWatchlist(deps, await actor(request), { officeId: q.officeId, name: q.name, source: q.source ?? null, fileName: q.fileName }, body));
  });
};
