/** Finds an existing person by name, registration id, document or phone, and hands them back. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert } from '../../ui/Alert.tsx';
import { TextField } from '../../ui/Field.tsx';
import { personName } from './labels.ts';
import { registryApi, type SearchItem } from './registry-api.ts';

interface PersonPickerProps {
  idPrefix: string;
  label: string;
  /** Label of each result's button; receives the person's name. */
  pickLabel: (name: string) => string;
  onPick: (person: SearchItem) => void;
  /** People who cannot be picked (already members). */
  exclude?: ReadonlySet<string>;
}

export function PersonPicker({ idPrefix, label, pickLabel, onPick, exclude }: PersonPickerProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<SearchItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function search(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    if (!q.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const res = await registryApi.search({ q: q.trim(), pageSize: 10 });
      setItems(res.items);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="stack picker">
      <form className="picker__form" role="search" aria-label={label} onSubmit={(e) => void search(e)}>
        <TextField
          id={`${idPrefix}-q`}
          type="search"
          label={label}
          hint={t('registry.search.hint')}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          autoComplete="off"
          dir="auto"
          data-testid={`${idPrefix}-q`}
        />
        <button type="submit" className="btn btn--secondary" disabled={busy} data-testid={`${idPrefix}-search`}>
          {busy ? t('common.loading') : t('common.search')}
        </button>
      </form>
      {error ? <Alert tone="error">{isApiError(error) ? errorMessage(t, error) : t('errors.unexpected')}</Alert> : null}
      {items && (
        <div aria-live="polite">
          {items.length === 0 ? (
            <p className="muted">{t('registry.search.empty')}</p>
          ) : (
            <ul className="picker__list">
              {items.map((p) => {
                const name = personName(p);
                const taken = exclude?.has(p.id) ?? false;
                return (
                  <li key={p.id} className="picker__item">
                    <span>
                      <strong>{name}</strong> <span className="code-chip">{p.registrationId}</span>
                      {p.fullNameOriginal && (
                        <>
                          {' '}
                          <bdi>{p.fullNameOriginal}</bdi>
                        </>
                      )}
                      {p.dateOfBirth && <span className="muted"> · {fmt.date(p.dateOfBirth)}</span>}
                    </span>
                    <button type="button" className="btn btn--secondary btn--small" disabled={taken} onClick={() => onPick(p)} data-testid={`${idPrefix}-pick`}>
                      {taken ? t('registry.household.alreadyMember') : pickLabel(name)}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
