/**
 * Case type 2: counter-trafficking — protection and assistance of victims of trafficking. Fields follow IOM's
 * Human Trafficking Case Data Standard (HTCDS 2.0, github.com/UNMigration/HTCDS; see
 * `shared/design/standards/counter-trafficking.md`): `vic_` trafficking status, identification, method of
 * recruitment, methods of control, types of exploitation (with forced-labour industry and kind of sexual
 * exploitation); `hte_` events of recruitment, transit and exploitation with places and dates; the recruiter's
 * relation; duration of exploitation; assistance given. The most sensitive case type: restricted to the
 * counter-trafficking team of the office (and the case's named workers), details encrypted at rest.
 */
import type { CaseTypeDefinition } from './case-type.ts';

/** HTCDS vic_MethodsOfControl (16 values). */
export const METHODS_OF_CONTROL = [
  'debt_bondage',
  'taking_earnings',
  'threats',
  'threats_to_family',
  'threat_law_enforcement',
  'psychological_abuse',
  'physical_abuse',
  'sexual_abuse',
  'false_promises',
  'drugs_alcohol',
  'denial_basic_needs',
  'excessive_working_hours',
  'withholding_documents',
  'restricting_movement',
  'isolation',
  'other',
] as const;

/** HTCDS vic_TypeOfExploitation. */
export const EXPLOITATION_TYPES = ['forced_labour', 'sexual_exploitation', 'child_labour', 'forced_marriage', 'servitude', 'forced_military', 'organ_removal', 'forced_begging', 'forced_adoption', 'surrogacy', 'other'] as const;

/** HTCDS vic_ForcedLabourIndustry, by ISIC section (with the CTDC's separate domestic work and hospitality). */
export const FORCED_LABOUR_INDUSTRIES = ['agriculture', 'fishing', 'mining', 'manufacturing', 'construction', 'domestic_work', 'hospitality', 'transport', 'retail', 'begging_street_vending', 'other'] as const;

export const counterTrafficking: CaseTypeDefinition = {
  id: 'counter_trafficking',
  team: 'counter_trafficking',
  sensitivity: 'restricted',
  subject: 'person',
  fields: [
    { name: 'traffickingStatus', kind: 'select', section: 'identification', options: ['possible', 'actual', 'not'] },
    { name: 'identificationDate', kind: 'date', section: 'identification' },
    { name: 'identifiedBy', kind: 'select', section: 'identification', options: ['self', 'family', 'law_enforcement', 'labour_inspector', 'ngo', 'iom', 'other'] },
    { name: 'identifiedByOther', kind: 'text', section: 'identification', max: 200, visibleWhen: { field: 'identifiedBy', eq: 'other' } },
    { name: 'recruitmentMethod', kind: 'multiselect', section: 'recruitment', options: ['personal_contact', 'family_or_friend', 'job_advertisement', 'recruitment_agency', 'internet_social_media', 'abduction', 'other'] },
    { name: 'recruiterRelation', kind: 'multiselect', section: 'recruitment', options: ['intimate_partner', 'friend', 'family', 'other', 'unknown'] },
    { name: 'methodsOfControl', kind: 'multiselect', section: 'exploitation', options: METHODS_OF_CONTROL },
    { name: 'exploitationTypes', kind: 'multiselect', section: 'exploitation', options: EXPLOITATION_TYPES },
    {
      name: 'forcedLabourIndustry',
      kind: 'multiselect',
      section: 'exploitation',
      options: FORCED_LABOUR_INDUSTRIES,
      visibleWhen: { any: [{ field: 'exploitationTypes', includes: 'forced_labour' }, { field: 'exploitationTypes', includes: 'child_labour' }] },
    },
    { name: 'sexExploitationTypes', kind: 'multiselect', section: 'exploitation', options: ['prostitution', 'pornography', 'other'], visibleWhen: { field: 'exploitationTypes', includes: 'sexual_exploitation' } },
    { name: 'exploitationOther', kind: 'text', section: 'exploitation', max: 200, visibleWhen: { field: 'exploitationTypes', includes: 'other' } },
    { name: 'exploitationMonths', kind: 'number', section: 'exploitation', min: 0, max: 600 },
    { name: 'events', kind: 'events', section: 'events' },
    { name: 'assistanceGiven', kind: 'multiselect', section: 'assistance', options: ['accommodation', 'medical', 'psychosocial', 'legal', 'education', 'vocational_training', 'financial', 'travel_return', 'reintegration', 'other'] },
  ],
  states: ['identification', 'assessment', 'planning', 'plan_review', 'assistance', 'closure_review', 'closed'],
  initial: 'identification',
  closed: ['closed'],
  transitions: [
    { action: 'confirm_identification', from: ['identification'], to: 'assessment', by: 'worker', requires: { fields: ['traffickingStatus', 'identificationDate', 'identifiedBy'] } },
    { action: 'complete_assessment', from: ['assessment'], to: 'planning', by: 'worker', requires: { assessment: true, fields: ['exploitationTypes', 'methodsOfControl'] } },
    { action: 'submit_plan', from: ['planning'], to: 'plan_review', by: 'worker', requires: { plan: true } },
    { action: 'approve_plan', from: ['plan_review'], to: 'assistance', by: 'supervisor', approvesPlan: true },
    { action: 'return_plan', from: ['plan_review'], to: 'planning', by: 'supervisor', returnsPlan: true },
    { action: 'request_closure', from: ['identification', 'assessment', 'planning', 'assistance'], to: 'closure_review', by: 'worker', requires: { closureReason: true } },
    { action: 'approve_closure', from: ['closure_review'], to: 'closed', by: 'supervisor' },
    { action: 'reject_closure', from: ['closure_review'], to: 'assistance', by: 'supervisor' },
    { action: 'reopen', from: ['closed'], to: 'assistance', by: 'supervisor' },
  ],
  defaultTasks: [
    { key: 'safety_assessment', dueInDays: 1, onEnter: 'identification' },
    { key: 'identification_interview', dueInDays: 3, onEnter: 'identification' },
    { key: 'case_plan', dueInDays: 7, onEnter: 'planning' },
    { key: 'follow_up', dueInDays: 30, onEnter: 'assistance' },
  ],
  closureReasons: ['assistance_completed', 'reintegrated', 'moved_on', 'declined_assistance', 'lost_contact', 'not_a_victim', 'deceased', 'other'],
  serviceTypes: ['accommodation', 'medical_care', 'psychosocial_support', 'legal_aid', 'education', 'vocational_training', 'cash', 'travel_return', 'reintegration', 'interpretation', 'other'],
};
