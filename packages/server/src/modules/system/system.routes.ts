import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppDeps } from '../../platform/http-types.ts';

const SystemInfo = z.object({
  demo: z.boolean(),
  version: z.string(),
  oidcEnabled: z.boolean(),
  languages: z.array(z.string()),
});

/** Health, readiness and public facts about this installation. */
export const systemRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  // Liveness: the process answers. No database call, so a slow database does not get the process killed.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  // Readiness: the database answers.
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
      return { status: 'ready' };
    } catch {
      return reply.code(503).type('application/problem+json').send({ type: 'about:blank', title: 'Not ready', status: 503, code: 'unavailable', detail: 'The database does not answer' });
    }
  });
  app.get('/api/system/info', {
    config: { policy: { access: 'public' } },
    schema: { tags: ['system'], summary: 'Public facts about this installation', response: { 200: SystemInfo } },
  }, async () => ({
    demo: deps.config.demo,
    version: deps.version,
    oidcEnabled: deps.config.oidc !== undefined,
    languages: ['en', 'fr', 'es', 'ar'],
  }));
};
