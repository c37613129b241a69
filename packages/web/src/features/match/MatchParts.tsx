/** Small pieces shared by the reviewer's screens: status badges, probability, signed weights, agreement. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format.ts';
import { Badge } from '../../ui/index.ts';
import { cx } from '../../ui/cx.ts';
import type { MatchRunStatus, PairStatus } from './match-api.ts';
import { barPercent, weightDirection, type Agreement } from './match-view.ts';

const STATUS_TONE: Record<PairStatus, 'neutral' | 'success' | 'danger' | 'info' | 'warning'> = {
  open: 'info',
  same: 'success',
  different: 'neutral',
  unsure: 'warning',
  merged: 'success',
};

export function PairStatusBadge({ status }: { status: PairStatus }) {
  const { t } = useTranslation();
  return <Badge tone={STATUS_TONE[status]}>{t(`match.status.${status}`)}</Badge>;
}

const RUN_TONE: Record<MatchRunStatus, 'neutral' | 'success' | 'danger' | 'info' | 'warning'> = {
  queued: 'neutral',
  running: 'info',
  succeeded: 'success',
  failed: 'danger',
  cancelled: 'warning',
};

export function RunStatusBadge({ status }: { status: MatchRunStatus }) {
  const { t } = useTranslation();
  return <Badge tone={RUN_TONE[status]}>{t(`match.run.status.${status}`)}</Badge>;
}

/** The probability as a percentage, with a bar beside it (the number carries the meaning). */
export function ProbabilityMeter({ probability, compact = false, testId }: { probability: number; compact?: boolean; testId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pct = fmt.number(probability, { style: 'percent', maximumFractionDigits: probability > 0.99 && probability < 1 ? 1 : 0 });
  return (
    <span className={cx('probability', compact && 'probability--compact')} data-testid={testId}>
      <span className="probability__value">
        {compact ? pct : t('match.pair.probabilityIs', { value: pct })}
      </span>
      <meter className="probability__meter" min={0} max={1} low={0.5} high={0.9} optimum={1} value={probability} aria-hidden="true" />
    </span>
  );
}

/** A weight as a signed number with words (for screen readers and for anyone who does not see colour), and a bar. */
export function WeightBar({ weight, scale, testId }: { weight: number; scale: number; testId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const direction = weightDirection(weight);
  const pct = barPercent(weight, scale);
  const number = fmt.number(weight, { signDisplay: 'exceptZero', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return (
    <span className={cx('weight', `weight--${direction}`)} data-testid={testId} data-weight={weight}>
      <span className="weight__axis" aria-hidden="true">
        <progress className="weight__neg" max={100} value={direction === 'different' ? pct : 0} />
        <span className="weight__zero" />
        <progress className="weight__pos" max={100} value={direction === 'same' ? pct : 0} />
      </span>
      <span className="weight__number" dir="ltr">
        {number}
      </span>
      <span className="weight__words">{t(`match.weight.${direction}`)}</span>
    </span>
  );
}

const AGREEMENT_ICON: Record<Agreement, string> = { agree: '✓', partial: '≈', disagree: '✗', missing: '–' };

/** "✓ Agree", "≈ Partly agree"…: a word and a symbol, never colour alone. */
export function AgreementLabel({ agreement }: { agreement: Agreement | null }) {
  const { t } = useTranslation();
  if (!agreement) return <span className="muted">{t('match.agreement.notCompared')}</span>;
  return (
    <span className={cx('agreement', `agreement--${agreement}`)}>
      <span className="agreement__icon" aria-hidden="true">
        {AGREEMENT_ICON[agreement]}
      </span>{' '}
      {t(`match.agreement.${agreement}`)}
    </span>
  );
}

/** Why a pair is in the queue, translated when the engine's wording is known. */
export function reasonText(t: TFunction, reason: string): string {
  const key = reason
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return key ? t(`match.reason.${key}`, { defaultValue: reason }) : reason;
}
