import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AssessmentDto,
  AssessmentInputSchema,
  AttachmentDto,
  BreakGlassDto,
  BreakGlassSchema,
  CASE_TYPES,
  CASE_TYPE_IDS,
  CaseAssignSchema,
  CaseCreateSchema,
  CaseDashboardDto,
  CaseDto,
  CaseListDto,
  CaseListQuery,
  CaseMemberSchema,
  CaseTransitionSchema,
  CaseTypeDto,
  CaseUpdateSchema,
  InboxDto,
  IncomingReferralSchema,
  NoteDto,
  NoteInputSchema,
  PartnerDto,
  PassageError,
  PartnerInputSchema,
  PlanInputSchema,
  ReferralCreateSchema,
  ReferralDto,
  ReferralUpdateSchema,
  ServiceDto,
  ServiceInputSchema,
  TaskDto,
  TaskInputSchema,
  TaskUpdateSchema,
  TimelineEventDto,
  TransferCreateSchema,
  TransferDecisionSchema,
  TransferDto,
  UserRefDto,
} from '@passage/domain';
import type { AppDeps } from '../../platform/http-types.ts';
import { Uuid } from '../../platform/schemas.ts';
import type { Actor } from '../registry/registry.service.ts';
import { addAttachment, listAttachments, openAttachment } from './attachments.service.ts';
import { addAssessment, addNote, addService, addTask, listAssessments, listNotes, listServices, listTasks, savePlan, timeline, updateTask } from './case-records.service.ts';
import { assignees, ctPublication, dashboard, dashboardWorkbook, inbox, listTeams, oversight, setTeamMember } from './case-views.service.ts';
import { assignCase, breakGlass, getCase, listCases, openCase, setMember, transitionCase, updateCase } from './cases.service.ts';
import { acknowledgeIncoming, listPartners, listReferrals, receiveReferral, referCase, savePartner, updateReferral } from './referrals.service.ts';
import { cancelTransfer, decideTransfer, incomingTransfers, requestTransfer } from './transfers.service.ts';

const IdParams = z.object({ id: Uuid });
const OfficeQuery = z.object({ officeId: Uuid.optional() }).strict();
const read = { access: 'permission', permission: 'cases.read' } as const;
const work = { access: 'permission', permission: 'cases.work' } as const;
const supervise = { access: 'permission', permission: 'cases.supervise' } as const;

/** Files arrive as the raw request body (the rest of the API takes JSON only). */
const UPLOAD_TYPES = ['application/octet-stream', 'application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/tiff', 'text/plain', 'text/csv'];

/**
 * The case engine over HTTP. Every route declares its permission; each case is then checked case by case by the
 * policy (own, team, office, restricted types, break glass): a case the user may not see is a 404 like a missing
 * one. Views of cases and attachments are audited; every change is audited with its timeline event.
 */
export const caseRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const actor = async (request: FastifyRequest): Promise<Actor> => ({ principal: request.auth!.principal, policy: await deps.offices.policy(), requestId: request.id });
  const d = deps as AppDeps & { config: AppDeps['config'] };
  const tags = ['cases'];
  for (const type of UPLOAD_TYPES) app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

  // ---- types, lists, one case
  app.get('/api/case-types', {
    config: { policy: read },
    schema: { tags, summary: 'The case types: fields (with visibility rules), states, closure reasons and service types', response: { 200: z.array(CaseTypeDto) } },
  }, async () => CASE_TYPE_IDS.map((id) => { const t = CASE_TYPES[id]; return { id, team: t.team, sensitivity: t.sensitivity, fields: t.fields.map((f) => ({ ...f })), states: [...t.states], closureReasons: [...t.closureReasons], serviceTypes: [...t.serviceTypes] }; }));

  app.get('/api/cases', {
    config: { policy: read },
    schema: { tags, summary: 'Cases you may see (restricted cases you may only count come masked), newest first (audited)', querystring: CaseListQuery, response: { 200: CaseListDto } },
  }, async (request) => listCases(d, await actor(request), request.query));

  app.post('/api/cases', {
    config: { policy: work },
    schema: { tags, summary: 'Open a case for a registered person', body: CaseCreateSchema, response: { 201: z.object({ id: z.string(), caseNumber: z.string() }) } },
  }, async (request, reply) => reply.code(201).send(await openCase(d, await actor(request), request.body)));

  app.get('/api/cases/inbox', {
    config: { policy: read },
    schema: { tags, summary: 'My work: tasks overdue and due within a week, new incoming referrals, cases waiting for my approval, transfers to accept', response: { 200: InboxDto } },
  }, async (request) => inbox(d, await actor(request)));

  app.get('/api/cases/dashboard', {
    config: { policy: { access: 'permission', permission: 'cases.stats' } },
    schema: { tags, summary: 'Office case figures (counts below 5 masked for users who do not work cases there)', querystring: OfficeQuery, response: { 200: CaseDashboardDto } },
  }, async (request) => dashboard(d, await actor(request), request.query.officeId));

  app.get('/api/cases/dashboard.xlsx', {
    config: { policy: { access: 'permission', permission: 'cases.stats' } },
    schema: { tags, summary: 'The dashboard tables as an XLSX workbook', querystring: OfficeQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: { 200: z.unknown().describe('The workbook (XLSX)') } },
  }, async (request, reply) => {
    const body = await dashboardWorkbook(d, await actor(request), request.query.officeId);
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', 'attachment; filename="case-dashboard.xlsx"').send(body);
  });

  app.get('/api/cases/oversight', {
    config: { policy: { access: 'permission', permission: 'cases.oversight' } },
    schema: { tags, summary: 'For data protection: break-glass grants and referrals made without consent, in your offices', response: { 200: z.object({ breakGlass: z.array(BreakGlassDto), consentOverrides: z.array(ReferralDto) }) } },
  }, async (request) => oversight(d, await actor(request)));

  app.get('/api/cases/publication/counter-trafficking', {
    config: { policy: { access: 'permission', permission: 'cases.publish' } },
    schema: { tags, summary: 'Anonymised counter-trafficking data in the CTDC format, k-anonymous with k = 11 (CSV; the summary is in the X-Passage-* headers)', querystring: OfficeQuery, produces: ['text/csv'], response: { 200: z.unknown().describe('The anonymised records (CSV)') } },
  }, async (request, reply) => {
    const { result, csv } = await ctPublication(d, await actor(request), request.query.officeId);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="ctdc-anonymised.csv"')
      .header('x-passage-k', String(result.k))
      .header('x-passage-published', String(result.published))
      .header('x-passage-suppressed', String(result.suppressed))
      .header('x-passage-generalisation', result.generalisation.description.replace(/[^\x20-\x7e]/g, '-'))
      .send(csv);
  });

  app.get('/api/cases/assignees', {
    config: { policy: read },
    schema: { tags, summary: 'Who may be given a case of this type at this office', querystring: z.object({ officeId: Uuid, type: z.enum(CASE_TYPE_IDS) }).strict(), response: { 200: z.array(UserRefDto) } },
  }, async (request) => assignees(d, await actor(request), request.query.officeId, request.query.type));

  app.get('/api/cases/transfer-offices', {
    config: { policy: work },
    schema: { tags, summary: 'Offices a case may be transferred to: every active office below the global level (the receiving supervisor decides)', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), parentId: z.string().nullable(), code: z.string(), name: z.string(), kind: z.enum(['global', 'country', 'sub_office']), countryCode: z.string().nullable(), active: z.boolean(), version: z.number().int() })) }) } },
  }, async () => {
    const rows = await deps.db.selectFrom('office').select(['id', 'parent_id', 'code', 'name', 'kind', 'country_code', 'active', 'version']).where('active', '=', true).where('kind', '!=', 'global').orderBy('code').execute();
    return { items: rows.map((o) => ({ id: o.id, parentId: o.parent_id, code: o.code, name: o.name, kind: o.kind, countryCode: o.country_code, active: o.active, version: o.version })) };
  });

  app.post('/api/cases/break-glass', {
    config: { policy: { access: 'permission', permission: 'cases.break_glass' } },
    schema: { tags, summary: 'Open a case you may not otherwise see, for a limited time, stating why (audited, reported to data protection)', body: BreakGlassSchema.extend({ caseNumber: z.string().min(3).max(60) }).strict(), response: { 200: z.object({ caseId: z.string(), expiresAt: z.string() }) } },
  }, async (request) => breakGlass(d, await actor(request), request.body.caseNumber, request.body.reason));

  app.get('/api/cases/:id', {
    config: { policy: read },
    schema: { tags, summary: 'One case with what the user may do next (the view is audited)', params: IdParams, response: { 200: CaseDto } },
  }, async (request) => getCase(d, await actor(request), request.params.id));

  app.patch('/api/cases/:id', {
    config: { policy: work },
    schema: { tags, summary: 'Change details and risk (send the version you read; stale → 409 with the current case)', params: IdParams, body: CaseUpdateSchema, response: { 200: CaseDto } },
  }, async (request) => updateCase(d, await actor(request), request.params.id, request.body));

  app.post('/api/cases/:id/transitions', {
    config: { policy: read },
    schema: { tags, summary: "Take a step of the case type's workflow (not allowed → 409 naming the allowed steps)", params: IdParams, body: CaseTransitionSchema, response: { 200: CaseDto } },
  }, async (request) => transitionCase(d, await actor(request), request.params.id, request.body));

  app.post('/api/cases/:id/assignment', {
    config: { policy: supervise },
    schema: { tags, summary: 'Assign the owner and/or supervisor', params: IdParams, body: CaseAssignSchema, response: { 200: CaseDto } },
  }, async (request) => assignCase(d, await actor(request), request.params.id, request.body));

  app.put('/api/cases/:id/members', {
    config: { policy: supervise },
    schema: { tags, summary: 'Name a specialist on the case', params: IdParams, body: CaseMemberSchema, response: { 200: CaseDto } },
  }, async (request) => setMember(d, await actor(request), request.params.id, request.body.userId, true));

  app.delete('/api/cases/:id/members/:userId', {
    config: { policy: supervise },
    schema: { tags, summary: 'Remove a named specialist', params: z.object({ id: Uuid, userId: Uuid }), response: { 200: CaseDto } },
  }, async (request) => setMember(d, await actor(request), request.params.id, request.params.userId, false));

  app.get('/api/cases/:id/timeline', {
    config: { policy: read },
    schema: { tags, summary: 'Everything that happened to the case, newest first, in pages', params: IdParams, querystring: z.object({ before: z.string().regex(/^\d{1,19}$/).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict(), response: { 200: z.object({ items: z.array(TimelineEventDto), next: z.string().nullable() }) } },
  }, async (request) => timeline(d, await actor(request), request.params.id, request.query.before, request.query.limit));

  // ---- records on a case
  app.get('/api/cases/:id/assessments', { config: { policy: read }, schema: { tags, summary: 'Assessments, latest first', params: IdParams, response: { 200: z.array(AssessmentDto) } } }, async (request) => listAssessments(d, await actor(request), request.params.id));
  app.post('/api/cases/:id/assessments', { config: { policy: work }, schema: { tags, summary: 'Record an assessment (a new numbered version; sets the risk level)', params: IdParams, body: AssessmentInputSchema, response: { 201: AssessmentDto } } }, async (request, reply) => reply.code(201).send(await addAssessment(d, await actor(request), request.params.id, request.body)));
  app.put('/api/cases/:id/plan', { config: { policy: work }, schema: { tags, summary: 'Write the case plan (a draft until submitted and approved; send the plan version you read)', params: IdParams, body: PlanInputSchema, response: { 200: CaseDto } } }, async (request) => savePlan(d, await actor(request), request.params.id, request.body));
  app.get('/api/cases/:id/services', { config: { policy: read }, schema: { tags, summary: 'Services delivered', params: IdParams, response: { 200: z.array(ServiceDto) } } }, async (request) => listServices(d, await actor(request), request.params.id));
  app.post('/api/cases/:id/services', { config: { policy: work }, schema: { tags, summary: 'Record a service delivered', params: IdParams, body: ServiceInputSchema, response: { 201: ServiceDto } } }, async (request, reply) => reply.code(201).send(await addService(d, await actor(request), request.params.id, request.body)));
  app.get('/api/cases/:id/notes', { config: { policy: read }, schema: { tags, summary: "Notes, newest first (sensitive ones only for the case's own workers and supervisors)", params: IdParams, response: { 200: z.array(NoteDto) } } }, async (request) => listNotes(d, await actor(request), request.params.id));
  app.post('/api/cases/:id/notes', { config: { policy: work }, schema: { tags, summary: 'Add a note (at most 20,000 characters)', params: IdParams, body: NoteInputSchema, response: { 201: NoteDto } } }, async (request, reply) => reply.code(201).send(await addNote(d, await actor(request), request.params.id, request.body)));
  app.get('/api/cases/:id/tasks', { config: { policy: read }, schema: { tags, summary: 'Tasks, open first', params: IdParams, response: { 200: z.array(TaskDto) } } }, async (request) => listTasks(d, await actor(request), request.params.id));
  app.post('/api/cases/:id/tasks', { config: { policy: work }, schema: { tags, summary: 'Add a task', params: IdParams, body: TaskInputSchema, response: { 201: TaskDto } } }, async (request, reply) => reply.code(201).send(await addTask(d, await actor(request), request.params.id, request.body)));
  app.patch('/api/tasks/:id', { config: { policy: work }, schema: { tags, summary: 'Complete, reopen, cancel, re-date or reassign a task (send its version)', params: IdParams, body: TaskUpdateSchema, response: { 200: TaskDto } } }, async (request) => updateTask(d, await actor(request), request.params.id, request.body));

  app.get('/api/cases/:id/attachments', { config: { policy: read }, schema: { tags, summary: 'Files attached to the case', params: IdParams, response: { 200: z.array(AttachmentDto) } } }, async (request) => listAttachments(d, await actor(request), request.params.id));
  app.post('/api/cases/:id/attachments', {
    config: { policy: work },
    bodyLimit: deps.config.attachmentMaxBytes + 1024 * 1024,
    schema: { tags, summary: 'Attach a file: the raw file is the body (PDF, images, office documents, text; its content must match its name; size-limited; virus-scanned when a scanner is set)', params: IdParams, querystring: z.object({ fileName: z.string().min(1).max(255) }).strict(), body: z.unknown().describe('The file itself (application/octet-stream or its own type)'), response: { 201: AttachmentDto } },
  }, async (request, reply) => {
    const a = await actor(request);
    const body = request.body as NodeJS.ReadableStream | undefined;
    if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') throw new PassageError('unsupported_media_type', 'Send the file itself as the request body (application/octet-stream)', { errors: [{ field: 'file', message: 'missing' }] });
    // The store reads through a pass-through it may abandon at the size limit; the request itself is left for
    // Node to discard, so the client gets the 413 (and the connection is closed) rather than a reset.
    const pass = new PassThrough();
    body.pipe(pass);
    try {
      return reply.code(201).send(await addAttachment(d, a, request.params.id, request.query.fileName, pass));
    } catch (error) {
      body.unpipe(pass);
      if (error instanceof PassageError && error.code === 'payload_too_large') void reply.header('connection', 'close');
      throw error;
    }
  });
  app.get('/api/attachments/:id/content', {
    config: { policy: read },
    schema: { tags, summary: 'Download an attachment (audited)', params: IdParams, response: { 200: z.unknown().describe('The file') } },
  }, async (request, reply) => {
    const file = await openAttachment(d, await actor(request), request.params.id);
    const type = file.mediaType.startsWith('text/') ? `${file.mediaType}; charset=utf-8` : file.mediaType;
    return reply
      .header('content-type', type)
      .header('content-length', String(file.bytes))
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .send(file.stream);
  });

  // ---- referrals and partners
  app.get('/api/partners', { config: { policy: read }, schema: { tags: ['partners'], summary: "Partner organisations serving an office (its own and its parents')", querystring: OfficeQuery, response: { 200: z.array(PartnerDto) } } }, async (request) => listPartners(d, await actor(request), request.query.officeId));
  app.post('/api/partners', { config: { policy: supervise }, schema: { tags: ['partners'], summary: 'Add a partner to the directory', body: PartnerInputSchema, response: { 201: PartnerDto } } }, async (request, reply) => reply.code(201).send(await savePartner(d, await actor(request), null, request.body)));
  app.put('/api/partners/:id', { config: { policy: supervise }, schema: { tags: ['partners'], summary: 'Change a partner', params: IdParams, body: PartnerInputSchema.extend({ version: z.number().int().min(1) }), response: { 200: PartnerDto } } }, async (request) => savePartner(d, await actor(request), request.params.id, request.body));
  app.get('/api/cases/:id/referrals', { config: { policy: read }, schema: { tags, summary: 'Referrals of the case', params: IdParams, response: { 200: z.array(ReferralDto) } } }, async (request) => listReferrals(d, await actor(request), request.params.id));
  app.post('/api/cases/:id/referrals', {
    config: { policy: work },
    schema: { tags, summary: 'Refer to a partner: needs the person\'s consent to referral (else 409; a user with consent-override may give a reason, audited)', params: IdParams, body: ReferralCreateSchema, response: { 201: ReferralDto } },
  }, async (request, reply) => reply.code(201).send(await referCase(d, await actor(request), request.params.id, request.body)));
  app.patch('/api/referrals/:id', { config: { policy: work }, schema: { tags, summary: "Record the partner's answer or the outcome (send its version)", params: IdParams, body: ReferralUpdateSchema, response: { 200: ReferralDto } } }, async (request) => updateReferral(d, await actor(request), request.params.id, request.body));
  app.post('/api/referrals/incoming', { config: { policy: work }, schema: { tags, summary: 'A partner refers a registered person: opens a case with the incoming referral', body: IncomingReferralSchema, response: { 201: z.object({ caseId: z.string(), caseNumber: z.string(), referralId: z.string() }) } } }, async (request, reply) => reply.code(201).send(await receiveReferral(d, await actor(request), request.body)));
  app.post('/api/cases/:id/referrals/acknowledge', { config: { policy: work }, schema: { tags, summary: 'Mark incoming referrals of the case as seen', params: IdParams, body: z.object({}).strict(), response: { 204: z.null() } } }, async (request, reply) => {
    await acknowledgeIncoming(d, await actor(request), request.params.id);
    return reply.code(204).send(null);
  });

  // ---- transfers
  app.post('/api/cases/:id/transfers', { config: { policy: read }, schema: { tags, summary: 'Ask another office to take the case over', params: IdParams, body: TransferCreateSchema, response: { 201: TransferDto } } }, async (request, reply) => reply.code(201).send(await requestTransfer(d, await actor(request), request.params.id, request.body)));
  app.get('/api/transfers', { config: { policy: supervise }, schema: { tags, summary: 'Transfers waiting for you to accept or reject', response: { 200: z.array(TransferDto) } } }, async (request) => incomingTransfers(d, await actor(request)));
  app.post('/api/transfers/:id/decision', { config: { policy: supervise }, schema: { tags, summary: 'Accept (the case moves to your office) or reject (saying why) a transfer', params: IdParams, body: TransferDecisionSchema, response: { 200: TransferDto } } }, async (request) => decideTransfer(d, await actor(request), request.params.id, request.body));
  app.post('/api/transfers/:id/cancel', { config: { policy: read }, schema: { tags, summary: 'Withdraw a pending transfer', params: IdParams, body: z.object({}).strict(), response: { 200: TransferDto } } }, async (request) => cancelTransfer(d, await actor(request), request.params.id));

  // ---- teams
  app.get('/api/offices/:id/teams', { config: { policy: { access: 'session' } }, schema: { tags: ['teams'], summary: "An office's case teams and their members", params: IdParams, response: { 200: z.array(z.object({ team: z.string(), members: z.array(UserRefDto), mayManage: z.boolean() })) } } }, async (request) => listTeams(d, await actor(request), request.params.id));
  app.put('/api/offices/:id/teams/:team/members/:userId', { config: { policy: { access: 'session' } }, schema: { tags: ['teams'], summary: 'Add a user to a team of the office', params: z.object({ id: Uuid, team: z.string().max(40), userId: Uuid }), body: z.object({}).strict(), response: { 204: z.null() } } }, async (request, reply) => {
    await setTeamMember(d, await actor(request), request.params.id, request.params.team, request.params.userId, true);
    return reply.code(204).send(null);
  });
  app.delete('/api/offices/:id/teams/:team/members/:userId', { config: { policy: { access: 'session' } }, schema: { tags: ['teams'], summary: 'Remove a user from a team of the office', params: z.object({ id: Uuid, team: z.string().max(40), userId: Uuid }), response: { 204: z.null() } } }, async (request, reply) => {
    await setTeamMember(d, await actor(request), request.params.id, request.params.team, request.params.userId, false);
    return reply.code(204).send(null);
  });
};
