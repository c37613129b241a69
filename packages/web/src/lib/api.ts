/**
 * The one way the web app talks to the server.
 *
 * - same-origin cookies (the session cookie is httpOnly; we never see it);
 * - JSON in and out; state-changing calls always send a JSON body (`{}` when empty);
 * - the CSRF token is kept in memory only and attached to every POST/PUT/PATCH/DELETE;
 * - RFC 9457 problem documents become a typed {@link ApiError};
 * - a 401 from anything but the auth endpoints means the session ended: the
 *   registered handler sends the user back to the login page.
 */

export interface FieldError {
  field: string;
  message: string;
}

export interface ApiErrorInit {
  status: number;
  code: string;
  title: string;
  detail?: string | undefined;
  errors?: FieldError[] | undefined;
  requestId?: string | undefined;
  /** The whole problem document, for members beyond RFC 9457's (e.g. `current` of a stale version). */
  body?: Record<string, unknown> | undefined;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly requestId: string | undefined;
  /** The problem document as received (empty when the answer was not JSON). */
  readonly body: Record<string, unknown>;

  constructor(init: ApiErrorInit) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.requestId = init.requestId;
    this.body = init.body ?? {};
  }

  /** Field errors keyed by the first segment of the field path ("roles.0.officeId" → "roles"). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.errors ?? []) {
      const key = normaliseField(e.field);
      if (!(key in out)) out[key] = e.message;
    }
    return out;
  }
}

/** "/body/password", "body.password", "password" → "password". */
export function normaliseField(field: string): string {
  const parts = field.split(/[./[\]]+/).filter((p) => p !== '' && p !== 'body');
  return parts[0] ?? field;
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

export function isAbort(value: unknown): boolean {
  return value instanceof DOMException && value.name === 'AbortError';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** A raw body (a file) sent as is with this content type instead of JSON. */
  raw?: { body: Blob; contentType: string };
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function hasCsrfToken(): boolean {
  return csrfToken !== null;
}

/** Registers what happens when a non-auth call answers 401 (normally: go to /login). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

export function buildQuery(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204 || res.status === 205) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toApiError(res: Response, body: unknown): ApiError {
  const p = isRecord(body) ? body : {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const errors = Array.isArray(p['errors'])
    ? p['errors'].filter(isRecord).map((e) => ({ field: String(e['field'] ?? ''), message: String(e['message'] ?? '') }))
    : undefined;
  return new ApiError({
    status: res.status,
    code: str(p['code']) ?? (res.status >= 500 ? 'internal' : `http_${res.status}`),
    title: str(p['title']) ?? res.statusText,
    detail: str(p['detail']),
    errors,
    requestId: str(p['requestId']),
    body: p,
  });
}

async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: string | Blob | undefined;
  if (method !== 'GET') {
    if (options.raw) {
      headers['content-type'] = options.raw.contentType;
      body = options.raw.body;
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body ?? {});
    }
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
  }

  let res: Response;
  try {
    res = await fetch(path + buildQuery(options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError({ status: 0, code: 'network_error', title: 'Network error' });
  }

  const data = await readBody(res);
  if (!res.ok) {
    const error = toApiError(res, data);
    if (res.status === 401 && !path.startsWith('/api/auth/')) {
      csrfToken = null;
      unauthorizedHandler?.();
    }
    throw error;
  }
  if (isRecord(data) && typeof data['csrfToken'] === 'string') csrfToken = data['csrfToken'];
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> =>
    request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown): Promise<T> => request<T>('POST', path, { body }),
  put: <T>(path: string, body?: unknown): Promise<T> => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body?: unknown): Promise<T> => request<T>('PATCH', path, { body }),
  delete: <T>(path: string, body?: unknown): Promise<T> => request<T>('DELETE', path, { body }),
  /** POSTs a file as the raw request body (with the CSRF header), answering JSON like the others. */
  upload: <T>(path: string, file: Blob, contentType: string, query?: Query): Promise<T> =>
    request<T>('POST', path, { raw: { body: file, contentType }, query }),
};
