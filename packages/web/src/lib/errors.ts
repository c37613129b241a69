import type { TFunction } from 'i18next';
import { isApiError } from './api.ts';

/**
 * A translated, user-facing message for any thrown value. Problem codes map to
 * `errors.<code>`; `overrides` lets a screen phrase a code for its context
 * (e.g. invalid_credentials on the code step means "wrong code").
 */
export function errorMessage(t: TFunction, error: unknown, overrides: Record<string, string> = {}): string {
  if (isApiError(error)) {
    const override = overrides[error.code];
    if (override) return t(override);
    const key = `errors.${error.code}`;
    const translated = t(key, { defaultValue: '' });
    if (translated) return translated;
    if (error.status >= 500) return t('errors.internal');
    return t('errors.generic', { status: error.status });
  }
  return t('errors.unexpected');
}

/** The server's field messages, keyed by field name (see ApiError.fieldErrors). */
export function fieldErrors(error: unknown): Record<string, string> {
  return isApiError(error) ? error.fieldErrors() : {};
}
