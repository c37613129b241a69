/** Everything that happened to the case, newest first, in words; older events load on request. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors.ts';
import { useFormat } from '../../i18n/format.ts';
import { Alert, Loading } from '../../ui/index.ts';
import { casesApi, type TimelineEventDto } from './cases-api.ts';
import { useCaseLabels } from './labels.ts';
import type { PanelProps } from './panel.ts';
import { PanelTitle } from './parts.tsx';
import { describeEvent } from './timeline.ts';
import { useLoad } from './use-load.ts';

export function TimelinePanel({ c }: PanelProps) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const L = useCaseLabels();
  // The first page follows the case: a new version may have added events.
  const first = useLoad(() => casesApi.timeline(c.id), `${c.id}|${c.version}`);
  const [older, setOlder] = useState<{ items: TimelineEventDto[]; next: string | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const items = [...(first.data?.items ?? []), ...(older?.items ?? [])].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const next = older ? older.next : (first.data?.next ?? null);

  async function more() {
    if (!next) return;
    setBusy(true);
    try {
      const page = await casesApi.timeline(c.id, next);
      setOlder((o) => ({ items: [...(o?.items ?? []), ...page.items], next: page.next }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card stack" aria-labelledby="case-timeline-title">
      <PanelTitle id="case-timeline-title">{t('cases.timeline.title')}</PanelTitle>
      {first.error || error ? <Alert tone="error">{errorMessage(t, first.error ?? error)}</Alert> : null}
      {!first.data && !first.error && <Loading />}
      {first.data && items.length === 0 && <p className="muted">{t('cases.timeline.none')}</p>}
      {items.length > 0 && (
        <ol className="case-timeline" data-testid="case-timeline">
          {items.map((e) => {
            const { text, detail } = describeEvent(t, L, e, fmt.dateTime);
            return (
              <li key={e.id} className="case-timeline__item" data-testid="case-event" data-kind={e.kind}>
                <span className="case-timeline__text">{text}</span>
                {detail && <span>{detail}</span>}
                <span className="muted">
                  <time dateTime={e.at}>{fmt.dateTime(e.at)}</time>
                  {e.actor && ` · ${e.actor.name}`}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {next && (
        <div>
          <button type="button" className="btn btn--secondary" onClick={() => void more()} disabled={busy} data-testid="case-timeline-more">
            {busy ? t('common.loading') : t('common.loadMore')}
          </button>
        </div>
      )}
    </section>
  );
}
