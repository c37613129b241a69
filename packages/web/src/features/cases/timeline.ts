/** A timeline event in words ("Start assessment: Intake → Assessment"), from its kind and data. */
import type { TFunction } from 'i18next';
import type { TimelineEventDto } from './cases-api.ts';
import type { CaseLabels } from './labels.ts';

const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** The sentence, and an optional second line of detail. */
export function describeEvent(t: TFunction, L: CaseLabels, e: TimelineEventDto, formatDateTime: (iso: string) => string): { text: string; detail: string | null } {
  const d = e.data;
  const task = () => L.task({ key: s(d['key']) || null, title: s(d['title']) || s(d['key']) });
  switch (e.kind) {
    case 'updated': {
      const fields = (Array.isArray(d['fields']) ? (d['fields'] as unknown[]) : []).map((f) => {
        const name = s(f).replace(/^details\./, '');
        return name === 'riskLevel' ? t('cases.fields.riskLevel') : L.field(name);
      });
      return { text: t('cases.timeline.updated', { fields: fields.join(', ') || '—' }), detail: d['riskLevel'] ? t('cases.case.riskIs', { risk: L.risk(s(d['riskLevel'])) }) : null };
    }
    case 'transition':
      return {
        text: t('cases.timeline.transition', { action: L.action(s(d['action'])), from: L.state(s(d['from'])), to: L.state(s(d['to'])) }),
        detail: d['closureReason'] ? t('cases.timeline.closureReason', { reason: L.closureReason(s(d['closureReason'])) }) : null,
      };
    case 'assessment':
      return { text: t('cases.timeline.assessment'), detail: d['riskLevel'] ? t('cases.case.riskIs', { risk: L.risk(s(d['riskLevel'])) }) : null };
    case 'service':
      return { text: d['type'] ? t('cases.timeline.serviceOf', { type: L.serviceType(s(d['type'])) }) : t('cases.timeline.service'), detail: null };
    case 'task_created':
    case 'task_done':
      return { text: d['key'] || d['title'] ? t(`cases.timeline.${e.kind}Named`, { task: task() }) : t(`cases.timeline.${e.kind}`), detail: null };
    case 'referral':
      if (d['direction'] === 'incoming') return { text: t('cases.timeline.referralIncoming'), detail: null };
      return { text: d['partnerName'] ? t('cases.timeline.referralTo', { partner: s(d['partnerName']) }) : t('cases.timeline.referral'), detail: d['consent'] === 'overridden' ? t('cases.timeline.consentOverridden') : null };
    case 'referral_updated':
      return { text: d['status'] ? t('cases.timeline.referralStatus', { status: t(`cases.referralStatus.${s(d['status'])}`, { defaultValue: s(d['status']) }) }) : t('cases.timeline.referral_updated'), detail: null };
    case 'transfer_requested':
      return { text: d['toOfficeCode'] ? t('cases.timeline.transferTo', { office: s(d['toOfficeCode']) }) : t('cases.timeline.transfer_requested'), detail: null };
    case 'transfer_decided':
      return { text: t(d['decision'] === 'reject' ? 'cases.timeline.transferRejected' : d['decision'] === 'cancel' ? 'cases.timeline.transferCancelled' : 'cases.timeline.transferAccepted'), detail: null };
    case 'break_glass':
      return { text: t('cases.timeline.break_glass', { until: d['until'] ? formatDateTime(s(d['until'])) : '—' }), detail: null };
    case 'opened':
      return { text: t(d['incoming'] ? 'cases.timeline.openedIncoming' : 'cases.timeline.opened'), detail: null };
    case 'plan':
      return { text: t('cases.timeline.plan'), detail: typeof d['goals'] === 'number' ? t('cases.timeline.planGoals', { n: d['goals'] }) : null };
    case 'task_updated':
    case 'note':
    case 'assigned':
    case 'member_added':
    case 'member_removed':
    case 'attachment':
      return { text: t(`cases.timeline.${e.kind}`), detail: null };
    default:
      return { text: e.kind, detail: null };
  }
}
