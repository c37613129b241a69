/** The "Cases" section of a person's page: their cases the user may see, and opening a new one. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { useSession } from '../../app/session.tsx';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Badge, Loading } from '../../ui/index.ts';
import { casesApi } from './cases-api.ts';
import { ltr, useCaseLabels } from './labels.ts';
import { OpenCaseForm } from './OpenCaseForm.tsx';
import { useLoad } from './use-load.ts';
import './cases.css';

export function PersonCases({ personId, officeId }: { personId: string; officeId: string }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const fmt = useFormat();
  const L = useCaseLabels();
  const mayRead = can('cases.read');
  const cases = useLoad(async () => (mayRead ? (await casesApi.list({ personId, pageSize: 100 })).items : []), `${personId}|${mayRead}`);
  const [opening, setOpening] = useState(false);
  if (!mayRead) return null;

  return (
    <section className="card stack" aria-labelledby="person-cases-title" data-testid="person-cases">
      <h2 id="person-cases-title" className="section-title">
        {t('cases.person.title')}
      </h2>
      {cases.error ? <Alert tone="error">{errorMessage(t, cases.error)}</Alert> : null}
      {!cases.data && !cases.error && <Loading />}
      {cases.data?.length === 0 && <p className="muted">{t('cases.person.none')}</p>}
      {cases.data && cases.data.length > 0 && (
        <ul className="item-list">
          {cases.data.map((c) => (
            <li key={c.id} className="item-list__item" data-testid="person-case">
              <div className="item-list__main">
                <Link to={`/cases/${c.id}`} data-testid="person-case-link">
                  <span dir="ltr">{c.caseNumber}</span>
                </Link>
                <span>
                  {L.type(c.type)} · {L.state(c.status)}
                </span>
                <span className="muted">{t('cases.person.openedOn', { date: fmt.date(c.openedAt), office: ltr(c.officeCode) })}</span>
              </div>
              <Badge tone={c.closedAt ? 'neutral' : 'info'}>{c.closedAt ? t('cases.list.closed') : t('cases.list.open')}</Badge>
            </li>
          ))}
        </ul>
      )}
      {can('cases.work') &&
        (opening ? (
          <OpenCaseForm personId={personId} personOfficeId={officeId} onCancel={() => setOpening(false)} />
        ) : (
          <div>
            <button type="button" className="btn btn--primary" onClick={() => setOpening(true)} data-testid="person-open-case">
              {t('cases.open.button')}
            </button>
          </div>
        ))}
    </section>
  );
}
