/** Possible existing records of a person being registered, each with a link to open it. */
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { Alert } from '../../ui/Alert.tsx';
import { countryName, personName, useLang } from './labels.ts';
import type { DuplicateCheckResult } from './registry-api.ts';

export function DuplicatePanel({ result, testId }: { result: DuplicateCheckResult; testId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lang = useLang();
  if (result.candidates.length === 0 && result.elsewhere === 0) return null;
  return (
    <Alert tone="warning" title={t('registry.dup.title', { n: fmt.number(result.candidates.length + result.elsewhere) })} testId={testId}>
      {result.candidates.length > 0 && (
        <ul className="dup-list">
          {result.candidates.map((c) => (
            <li key={c.person.id} className="dup-list__item" data-testid="dup-candidate">
              <div>
                <Link to={`/registry/people/${c.person.id}`} target="_blank" rel="noopener" className="table__link">
                  {personName(c.person)}
                  <span className="visually-hidden"> {t('registry.opensInNewTab')}</span>
                </Link>{' '}
                <span className="code-chip">{c.person.registrationId}</span>
                {c.person.fullNameOriginal && (
                  <>
                    {' '}
                    <bdi>{c.person.fullNameOriginal}</bdi>
                  </>
                )}
              </div>
              <div className="muted">
                {[
                  c.person.dateOfBirth ? fmt.date(c.person.dateOfBirth) : null,
                  c.person.nationality ? countryName(c.person.nationality, lang) : null,
                  c.person.officeCode,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </div>
              <div>
                {t('registry.dup.because')}{' '}
                {c.reasons.map((r) => t(`registry.dup.reasons.${r}`)).join(', ')}
                {c.probability !== null && ` (${fmt.number(c.probability, { style: 'percent', maximumFractionDigits: 0 })})`}
              </div>
            </li>
          ))}
        </ul>
      )}
      {result.elsewhere > 0 && <p>{t('registry.dup.elsewhere', { n: fmt.number(result.elsewhere) })}</p>}
    </Alert>
  );
}
