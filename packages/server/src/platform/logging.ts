import type { FastifyServerOptions } from 'fastify';

/**
 * pino options. Logs carry ids, never personal data: query strings (which may hold a
 * searched name) are dropped from URLs, and cookies, tokens and bodies are never logged.
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], remove: true },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      // PostgreSQL puts offending values in `detail` ("Key (email)=(…) already exists"): keep only
      // the type, code, message and stack of an error.
      err: (err: Error & { code?: unknown }) => ({ type: err.name, code: err.code, message: err.message, stack: err.stack ?? '' }),
    },
  };
}
