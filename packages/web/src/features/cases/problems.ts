import type { TFunction } from 'i18next';
import type { CaseLabels } from './labels.ts';

/** A requirement the engine names ("details.circumstance", "assessment" …) in the user's words. */
export function problemText(t: TFunction, L: CaseLabels, p: { field: string; message: string }): string {
  if (p.field.startsWith('details.')) return t('cases.problems.field', { field: L.field(p.field.slice('details.'.length)) });
  switch (p.field) {
    case 'assessment':
    case 'plan':
    case 'closureReason':
    case 'referrals':
    case 'transfer':
      return t(`cases.problems.${p.field}`);
    default:
      return p.message;
  }
}
