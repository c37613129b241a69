import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { PassageError } from '@passage/domain';
import { registerAuthHook } from './platform/auth-hook.ts';
import { registerErrorHandling } from './platform/errors.ts';
import type { AppDeps } from './platform/http-types.ts';
import { loggerOptions } from './platform/logging.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { oidcRoutes } from './modules/auth/oidc.routes.ts';
import { officeRoutes } from './modules/offices/offices.routes.ts';
import { registryRoutes } from './modules/registry/registry.routes.ts';
import { importRoutes } from './modules/registry/import.routes.ts';
import { matchRoutes } from './modules/match/match.routes.ts';
import { caseRoutes } from './modules/cases/cases.routes.ts';
import { screeningRoutes } from './modules/screening/screening.routes.ts';
import { systemRoutes } from './modules/system/system.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';

/** A route as the policy test sees it. */
export interface RouteEntry {
  method: string;
  url: string;
  policy: string;
  /** Whether the route declares its response schema (and, where it takes input, its request schema). */
  schema: { body: boolean; querystring: boolean; params: boolean; response: boolean; hidden: boolean };
}

/** The Fastify app with its route table. */
export type PassageApp = FastifyInstance & { routeTable: RouteEntry[] };

/**
 * Builds the HTTP app. Plugin order is the architecture: ecosystem plugins, then the
 * platform (parsers, errors, auth), then capability modules, then the web app.
 */
export async function buildApp(deps: AppDeps, options: { logger?: boolean } = {}): Promise<PassageApp> {
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(deps.config.logLevel),
    bodyLimit: deps.config.bodyLimit,
    trustProxy: deps.config.trustProxy,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    },
    requestIdHeader: false,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>() as unknown as PassageApp;
  app.routeTable = [];

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  // JSON only, and strictly UTF-8: invalid byte sequences are refused, never silently replaced.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      done(new PassageError('invalid_encoding', 'The body is not valid UTF-8', { errors: [{ field: 'body', message: 'invalid UTF-8' }] }), undefined);
      return;
    }
    if (text.trim() === '') {
      done(new PassageError('malformed_json', 'The body is empty; send a JSON object', { errors: [{ field: 'body', message: 'empty' }] }), undefined);
      return;
    }
    // NUL is valid JSON ("\u0000") but never valid text for PostgreSQL: name where it is instead of failing later.
    const nulAt: string[] = [];
    const reviver = function (this: unknown, key: string, value: unknown): unknown {
      if (key === '__proto__' || key === 'constructor') return undefined;
      if ((typeof value === 'string' && value.includes('\u0000')) || key.includes('\u0000')) nulAt.push(key);
      return value;
    };
    try {
      const parsed: unknown = JSON.parse(text, reviver);
      if (nulAt.length > 0) {
        done(new PassageError('invalid_encoding', 'Text may not contain NUL characters', { errors: [{ field: nulAt[0]!, message: 'contains a NUL character' }] }), undefined);
        return;
      }
      done(null, parsed);
    } catch (error) {
      done(new PassageError('malformed_json', `The body is not valid JSON: ${(error as Error).message}`, { errors: [{ field: 'body', message: 'not valid JSON' }] }), undefined);
    }
  });

  // The same for query strings and path parameters (%00).
  app.addHook('preValidation', async (request) => {
    for (const [where, values] of [['querystring', request.query], ['params', request.params]] as const) {
      for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if ((typeof value === 'string' && value.includes('\u0000')) || (Array.isArray(value) && value.some((v) => String(v).includes('\u0000')))) {
          throw new PassageError('invalid_encoding', 'Text may not contain NUL characters', { errors: [{ field: `${where}.${key}`, message: 'contains a NUL character' }] });
        }
      }
    }
  });

  // Draining: responses to requests still in flight at shutdown close their connection, so a
  // keep-alive client cannot hold the server open until its keep-alive timeout.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (request, reply) => {
    if (draining) reply.header('connection', 'close');
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await app.register(cookie);
  const https = deps.config.publicUrl?.startsWith('https://') ?? false;
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where it means something: behind TLS.
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      new PassageError('too_many_requests', `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`, { extra: { retryAfterSeconds: Math.ceil(context.ttl / 1000) } }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Passage API', version: deps.version, description: 'Errors are RFC 9457 application/problem+json with a stable `code`.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'passage_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // Deny by default: every /api route must say who may call it.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    if (route.url.startsWith('/api/docs') || route.url === '/api/openapi.json') {
      route.config = { ...(route.config ?? {}), policy: { access: 'public' } };
    }
    const policy = (route.config as { policy?: { access: string; permission?: string } } | undefined)?.policy;
    if (!policy) throw new Error(`Route ${String(route.method)} ${route.url} declares no policy`);
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      app.routeTable.push({
        method,
        url: route.url,
        policy: policy.permission ?? policy.access,
        schema: { body: 'body' in schema, querystring: 'querystring' in schema, params: 'params' in schema, response: 'response' in schema, hidden: schema.hide === true },
      });
    }
  });
  registerAuthHook(app, deps);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(systemRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(oidcRoutes(deps));
  await app.register(officeRoutes(deps));
  await app.register(userRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(registryRoutes(deps));
  await app.register(importRoutes(deps));
  await app.register(matchRoutes(deps));
  await app.register(caseRoutes(deps));
  await app.register(screeningRoutes(deps));

  if (deps.webRoot && fs.existsSync(path.join(deps.webRoot, 'index.html'))) {
    const indexHtml = fs.readFileSync(path.join(deps.webRoot, 'index.html'));
    await app.register(fastifyStatic, { root: deps.webRoot, index: false, wildcard: false, serveDotFiles: false });
    // Every other GET outside /api is a client-side route: hand it the app shell.
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const p = request.url.split('?')[0] ?? '/';
      if (p.startsWith('/api/') || /\.[a-z0-9]+$/i.test(p)) throw new PassageError('not_found', 'No such file');
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    });
  }
  return app;
}
