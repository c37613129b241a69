/**
 * The one error type of Passage. Domain code throws it with a stable `code`;
 * the server's error mapper turns it into an RFC 9457 problem document.
 */

/** Stable error codes with their HTTP status. Clients match on the code, never on the message. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  invalid_encoding: 400,
  unauthenticated: 401,
  mfa_required: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  stale_version: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  account_locked: 429,
  internal: 500,
  unavailable: 503,
} as const;

/** A stable machine-readable error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** One field-level problem: `field` is a JSON pointer-like dotted path into the request. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** An expected failure with a stable code; safe to show to the client. */
export class PassageError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldProblem[];
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { errors?: FieldProblem[]; extra?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'PassageError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.errors = options.errors ?? [];
    this.extra = options.extra ?? {};
  }
}

/** Shorthand for a 404 that does not reveal whether the record exists elsewhere. */
export const notFound = (entity: string): PassageError => new PassageError('not_found', `${entity} not found`);
/** Shorthand for a 403. */
export const forbidden = (message = 'You do not have permission to do this'): PassageError =>
  new PassageError('forbidden', message);
