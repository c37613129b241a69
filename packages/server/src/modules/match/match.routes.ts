import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MatchPairDto, MatchPairListDto, MatchPairQuery, MatchRunDto, MergeDto, MergeListQuery, MergeSchema, PairDecisionSchema, StartMatchRunSchema } from '@passage/domain';
import type { AppDeps } from '../../platform/http-types.ts';
import { Uuid } from '../../platform/schemas.ts';
import type { Actor } from '../registry/registry.service.ts';
import { cancelRun, decidePair, getPair, getRun, listMerges, listPairs, listRuns, mergePeople, startRun, unmerge } from './match.service.ts';

const IdParams = z.object({ id: Uuid });

/**
 * Where users meet the matching engine: deduplication runs (background jobs), the review queue of possible
 * duplicates with the engine's explanation, reviewers' decisions (which later runs learn from), and reversible
 * merges. Reads of pairs are reads of two people and are audited; a pair or person outside the user's offices
 * is a 404, exactly like a missing one.
 */
export const matchRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const actor = async (request: FastifyRequest): Promise<Actor> => ({ principal: request.auth!.principal, policy: await deps.offices.policy(), requestId: request.id });
  const tags = ['match'];

  app.post('/api/match/runs', {
    config: { policy: { access: 'permission', permission: 'match.review' } },
    schema: { tags, summary: 'Start a deduplication run over one office (and its sub-offices) or every office you review; runs in the background', body: StartMatchRunSchema, response: { 202: MatchRunDto } },
  }, async (request, reply) => reply.code(202).send(await startRun(deps, await actor(request), request.body)));

  app.get('/api/match/runs', {
    config: { policy: { access: 'permission', permission: 'match.read' } },
    schema: { tags, summary: 'The latest 20 deduplication runs you may see', response: { 200: z.object({ items: z.array(MatchRunDto) }) } },
  }, async (request) => ({ items: await listRuns(deps, await actor(request)) }));

  app.get('/api/match/runs/:id', {
    config: { policy: { access: 'permission', permission: 'match.read' } },
    schema: { tags, summary: 'A deduplication run: status, stage, progress and counts', params: IdParams, response: { 200: MatchRunDto } },
  }, async (request) => getRun(deps, await actor(request), request.params.id));

  app.post('/api/match/runs/:id/cancel', {
    config: { policy: { access: 'permission', permission: 'match.review' } },
    schema: { tags, summary: 'Cancel a queued or running deduplication run (it stops within about a second and stores nothing)', params: IdParams, body: z.object({}).strict(), response: { 200: MatchRunDto } },
  }, async (request) => cancelRun(deps, await actor(request), request.params.id));

  app.get('/api/match/pairs', {
    config: { policy: { access: 'permission', permission: 'match.read' } },
    schema: { tags, summary: 'The review queue: pairs of possible duplicates in your offices, most probable first (audited)', querystring: MatchPairQuery, response: { 200: MatchPairListDto } },
  }, async (request) => listPairs(deps, await actor(request), request.query));

  app.get('/api/match/pairs/:id', {
    config: { policy: { access: 'permission', permission: 'match.read' } },
    schema: { tags, summary: 'One pair side by side, with the engine\'s explanation (the view of both people is audited)', params: IdParams, response: { 200: MatchPairDto } },
  }, async (request) => getPair(deps, await actor(request), request.params.id));

  app.post('/api/match/pairs/:id/decision', {
    config: { policy: { access: 'permission', permission: 'match.review' } },
    schema: { tags, summary: 'Decide a pair: same person, different people, or unsure (send the version you read; a stale one gets 409 with the current pair)', params: IdParams, body: PairDecisionSchema, response: { 200: MatchPairDto } },
  }, async (request) => decidePair(deps, await actor(request), request.params.id, request.body));

  app.post('/api/match/merges', {
    config: { policy: { access: 'permission', permission: 'match.merge' } },
    schema: { tags, summary: 'Merge one record of a person into another (reversible; send both versions you read)', body: MergeSchema, response: { 201: MergeDto } },
  }, async (request, reply) => reply.code(201).send(await mergePeople(deps, await actor(request), request.body)));

  app.get('/api/match/merges', {
    config: { policy: { access: 'permission', permission: 'match.read' } },
    schema: { tags, summary: 'The merges a person took part in, newest first', querystring: MergeListQuery, response: { 200: z.array(MergeDto) } },
  }, async (request) => listMerges(deps, await actor(request), request.query.personId));

  app.post('/api/match/merges/:id/unmerge', {
    config: { policy: { access: 'permission', permission: 'match.merge' } },
    schema: { tags, summary: 'Undo a merge: both records as they were before it', params: IdParams, body: z.object({}).strict(), response: { 200: MergeDto } },
  }, async (request) => unmerge(deps, await actor(request), request.params.id));
};
