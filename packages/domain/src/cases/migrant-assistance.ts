/**
 * Case type 1: migrant assistance and protection — migrants in distress (stranded, detained, abandoned,
 * injured, unaccompanied or separated children). Vulnerability screening (beside the registry's specific
 * needs), needs by sector, a supervised case plan, services and referrals, a best-interests assessment for
 * children, closure when needs are met or the person moves on.
 */
import type { CaseTypeDefinition } from './case-type.ts';
import type { Rule } from './rules.ts';

const CHILD: Rule = { any: [{ field: 'person.age', lt: 18 }, { field: 'circumstance', in: ['unaccompanied_child', 'separated_child'] }] };

export const NEEDS_SECTORS = ['shelter', 'food', 'health', 'legal', 'psychosocial', 'family_tracing', 'documentation'] as const;

export const migrantAssistance: CaseTypeDefinition = {
  id: 'migrant_assistance',
  team: 'protection',
  sensitivity: 'standard',
  subject: 'person',
  fields: [
    { name: 'circumstance', kind: 'select', section: 'situation', options: ['stranded', 'detained', 'abandoned', 'injured', 'unaccompanied_child', 'separated_child', 'other'] },
    { name: 'circumstanceOther', kind: 'text', section: 'situation', max: 200, visibleWhen: { field: 'circumstance', eq: 'other' } },
    { name: 'placeOfDetention', kind: 'text', section: 'situation', max: 200, visibleWhen: { field: 'circumstance', eq: 'detained' } },
    { name: 'countryOfIncident', kind: 'country', section: 'situation' },
    {
      name: 'vulnerabilityScreening',
      kind: 'multiselect',
      section: 'screening',
      options: ['no_shelter', 'medical_emergency', 'child_alone', 'pregnant', 'disability', 'older_person', 'survivor_of_violence', 'trafficking_indicators', 'in_detention', 'no_documents', 'no_means_of_subsistence'],
    },
    { name: 'screeningNote', kind: 'textarea', section: 'screening', max: 4000 },
    { name: 'needsSectors', kind: 'multiselect', section: 'needs', options: NEEDS_SECTORS },
    { name: 'familyTracingStatus', kind: 'select', section: 'needs', options: ['requested', 'in_progress', 'located', 'not_found'], visibleWhen: { field: 'needsSectors', includes: 'family_tracing' } },
    { name: 'biaDate', kind: 'date', section: 'best_interests', visibleWhen: CHILD },
    { name: 'biaOutcome', kind: 'select', section: 'best_interests', options: ['pending', 'family_reunification', 'alternative_care', 'return_with_safeguards', 'local_integration', 'resettlement'], visibleWhen: CHILD },
    { name: 'biaNote', kind: 'textarea', section: 'best_interests', max: 4000, visibleWhen: CHILD },
  ],
  states: ['intake', 'assessment', 'planning', 'plan_review', 'in_progress', 'closure_review', 'closed'],
  initial: 'intake',
  closed: ['closed'],
  transitions: [
    { action: 'start_assessment', from: ['intake'], to: 'assessment', by: 'worker', requires: { fields: ['circumstance'] } },
    { action: 'complete_assessment', from: ['assessment'], to: 'planning', by: 'worker', requires: { assessment: true, fields: ['needsSectors', 'biaOutcome'] } },
    { action: 'submit_plan', from: ['planning'], to: 'plan_review', by: 'worker', requires: { plan: true } },
    { action: 'approve_plan', from: ['plan_review'], to: 'in_progress', by: 'supervisor', approvesPlan: true },
    { action: 'return_plan', from: ['plan_review'], to: 'planning', by: 'supervisor', returnsPlan: true },
    { action: 'request_closure', from: ['intake', 'assessment', 'planning', 'in_progress'], to: 'closure_review', by: 'worker', requires: { closureReason: true } },
    { action: 'approve_closure', from: ['closure_review'], to: 'closed', by: 'supervisor' },
    { action: 'reject_closure', from: ['closure_review'], to: 'in_progress', by: 'supervisor' },
    { action: 'reopen', from: ['closed'], to: 'in_progress', by: 'supervisor' },
  ],
  defaultTasks: [
    { key: 'vulnerability_screening', dueInDays: 1, onEnter: 'intake' },
    { key: 'initial_assessment', dueInDays: 3, onEnter: 'intake' },
    { key: 'best_interests_assessment', dueInDays: 7, onEnter: 'assessment', when: CHILD },
    { key: 'case_plan', dueInDays: 7, onEnter: 'planning' },
    { key: 'follow_up', dueInDays: 30, onEnter: 'in_progress' },
  ],
  closureReasons: ['needs_met', 'moved_on', 'returned_home', 'referred_elsewhere', 'declined_assistance', 'lost_contact', 'deceased', 'other'],
  serviceTypes: ['shelter', 'food', 'non_food_items', 'medical_care', 'psychosocial_support', 'legal_aid', 'documentation', 'family_tracing', 'cash', 'transport', 'interpretation', 'other'],
};
