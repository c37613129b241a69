import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ERROR_STATUS, PassageError, type ErrorCode, type FieldProblem } from '@passage/domain';

/**
 * The one HTTP error mapper: every failure leaves as an RFC 9457 problem document
 * (`application/problem+json`) with a stable `code`. A client mistake is a 4xx naming
 * the field; a 5xx says only that something went wrong and gives the request id.
 */

const TITLES: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'The request is not valid',
  malformed_json: 'The request body is not valid JSON',
  invalid_encoding: 'The request body is not valid UTF-8',
  unauthenticated: 'Sign-in required',
  mfa_required: 'Second factor required',
  invalid_credentials: 'Invalid credentials',
  forbidden: 'Forbidden',
  csrf_failed: 'Missing or invalid CSRF token',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  stale_version: 'The record was changed by someone else',
  payload_too_large: 'The request body is too large',
  unsupported_media_type: 'Unsupported content type',
  too_many_requests: 'Too many requests',
  account_locked: 'Account temporarily locked',
  internal: 'Internal server error',
  unavailable: 'Service unavailable',
};

/** The problem document sent to clients. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
}

/** Sends a problem document. */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: PassageError): FastifyReply {
  const body: Problem = {
    type: `https://passage.dev/problems/${error.code.replace(/_/g, '-')}`,
    title: TITLES[error.code],
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    ...error.extra,
  };
  return reply.code(error.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

function fieldPath(parts: ReadonlyArray<PropertyKey>, where: string): string {
  const path = parts.map(String).join('.');
  return where === 'body' ? path || 'body' : path ? `${where}.${path}` : where;
}

/** Maps any thrown value to a PassageError. Unknown errors become a bare 500. */
export function toPassageError(error: unknown): PassageError {
  if (error instanceof PassageError) return error;
  const e = error as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const where = e.validationContext ?? 'body';
    const errors = e.validation.map((v) => {
      const path = v.instancePath.split('/').filter(Boolean);
      const keys = (v.params as { keys?: string[] }).keys;
      // An unknown property is named itself, so the client sees which one to drop.
      if (v.keyword === 'unrecognized_keys' && keys?.length) return { field: fieldPath([...path, keys.join(',')], where), message: `unknown field (${keys.join(', ')})` };
      return { field: fieldPath(path, where), message: v.message ?? 'invalid' };
    });
    const first = errors[0];
    return new PassageError('validation_failed', first ? `${first.field}: ${first.message}` : 'Invalid request', { errors });
  }
  if (isResponseSerializationError(e)) return new PassageError('internal', 'Something went wrong');
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new PassageError('unsupported_media_type', 'Send the body as application/json', {
        errors: [{ field: 'content-type', message: 'must be application/json' }],
      });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PassageError('payload_too_large', 'The request body is larger than the server accepts');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new PassageError('malformed_json', 'The body is empty; send a JSON object', { errors: [{ field: 'body', message: 'empty' }] });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new PassageError('bad_request', 'Content-Length does not match the body');
    case 'FST_ERR_VALIDATION':
      return new PassageError('validation_failed', e.message);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new PassageError('malformed_json', 'The body is not valid JSON', { errors: [{ field: 'body', message: 'not valid JSON' }] });
    default:
      break;
  }
  if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON') {
    return new PassageError('malformed_json', 'The body is not valid JSON', { errors: [{ field: 'body', message: 'not valid JSON' }] });
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((k) => ERROR_STATUS[k] === e.statusCode && k !== 'validation_failed') ?? 'bad_request';
    return new PassageError(code, e.statusCode === 429 ? 'Too many requests; wait and try again' : TITLES[code]);
  }
  return new PassageError('internal', 'Something went wrong. Quote the request id when reporting it.');
}

/** Installs the error and not-found handlers. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toPassageError(error);
    if (problem.status >= 500) {
      // Log the real error (never the request body) with the request id; the client gets none of it.
      request.log.error({ err: error }, 'request failed');
    }
    return sendProblem(reply, request, problem);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, request, new PassageError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`)));
}
