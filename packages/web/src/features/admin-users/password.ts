import type { TFunction } from 'i18next';

/** Mirrors MIN_PASSWORD_LENGTH in packages/domain/src/platform/password-rules.ts. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * The server explains a refused password in English; recognise the common cases
 * and show a translated message, otherwise show the server's text as is.
 */
export function passwordFieldError(t: TFunction, serverMessage: string): string {
  const m = serverMessage.toLowerCase();
  if (m.includes('common') || m.includes('guess')) return t('validation.passwordCommon');
  if (m.includes('short') || m.includes('at least')) return t('validation.passwordLength', { min: MIN_PASSWORD_LENGTH });
  if (m.includes('long')) return t('validation.passwordTooLong');
  if (m.includes('e-mail') || m.includes('email')) return t('validation.passwordContainsEmail');
  return serverMessage;
}
