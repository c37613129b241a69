import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api.ts';
import { issuesToErrors, serverErrors, type Errors, type IssueLike } from '../registry/validation.ts';

/** A zod parse result, as far as the form needs it. */
type Parsed = { success: true } | { success: false; error: { issues: readonly IssueLike[] } };

/**
 * The life of a record form: the schema's problems shown once the user has tried to submit, the server's field
 * problems after it answered, the error, whether it is busy, and whether the last save went through.
 */
export function useFormSubmit() {
  const { t } = useTranslation();
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  /** Field path → message: the schema's (after a try) and the server's. */
  const errorsOf = (parsed: Parsed, input: unknown): Errors => ({ ...(submitted && !parsed.success ? issuesToErrors(t, parsed.error.issues, input) : {}), ...server });

  /**
   * Runs the save when the input is valid. `onError` may handle an error itself (answering true); otherwise the
   * error is shown, with the server's field problems beside their fields.
   */
  const submit = useCallback(
    async (e: FormEvent, valid: boolean, save: () => Promise<void>, onError?: (err: unknown) => boolean | Promise<boolean>) => {
      e.preventDefault();
      setSubmitted(true);
      setError(null);
      setDone(false);
      if (!valid) return;
      setBusy(true);
      try {
        await save();
        setSubmitted(false);
        setServer({});
        setDone(true);
      } catch (err) {
        if (!(await onError?.(err))) {
          setError(err);
          if (isApiError(err)) setServer(serverErrors(t, err.errors));
        }
      } finally {
        setBusy(false);
      }
    },
    [t],
  );

  return { submitted, busy, done, error, errorsOf, submit };
}
