/** Possible existing records of a person being registered, each with a link to open it. */
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { Alert } from '../../ui/Alert.tsx';
import { countryName, personName, useLang } from './labels.ts';
import type { DuplicateCheckResult } from './registry-api.ts';
import { AgreementLabel, WeightBar } from '../match/MatchParts.tsx';
import { comparisonRows, levelKey, weightScale } from '../match/match-view.ts';
import type { MatchExplanationDto } from '@passage/domain';

/** The matching engine's reasons, field by field: what agrees, what does not, and how much each counts. */
function EngineExplanation({ explanation }: { explanation: MatchExplanationDto }) {
  const { t } = useTranslation();
  const scale = weightScale(explanation.fields);
  const rows = comparisonRows(explanation.fields).filter((r) => r.contribution !== null);
  return (
    <details className="dup-explain" data-testid="dup-explanation">
      <summary>{t('registry.dup.explain')}</summary>
      <table className="table table--compact">
        <tbody>
          {rows.map(({ key, contribution }) => {
            const level = levelKey(contribution!.label);
            return (
              <tr key={key} data-field={contribution!.field} data-agreement={contribution!.agreement}>
                <th scope="row">{t(`registry.field.${key}`)}</th>
                <td>
                  <AgreementLabel agreement={contribution!.agreement} /> <span className="muted">{level ? t(level) : contribution!.label}</span>
                </td>
                <td>
                  <WeightBar weight={contribution!.weight} scale={scale} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

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
              {c.explanation && <EngineExplanation explanation={c.explanation} />}
            </li>
          ))}
        </ul>
      )}
      {result.elsewhere > 0 && <p>{t('registry.dup.elsewhere', { n: fmt.number(result.elsewhere) })}</p>}
      {result.engine === 'loading' && <p className="muted">{t('registry.dup.engineLoading')}</p>}
    </Alert>
  );
}
