import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ConsentInputSchema,
  DocumentInputSchema,
  DocumentUpdateSchema,
  DuplicateCheckResultDto,
  DuplicateCheckSchema,
  HouseholdDto,
  PersonChangeDto,
  PersonDto,
  PersonSearchQuery,
  PersonSearchResultDto,
  PersonUpdateSchema,
  PopulationStatsDto,
  RELATIONSHIPS,
  RegistrationResultDto,
  RegistrationSchema,
} from '@passage/domain';
import type { AppDeps } from '../../platform/http-types.ts';
import { Uuid } from '../../platform/schemas.ts';
import { exportPeople } from './export.ts';
import { renderRegistrationSlip, type SlipLanguage } from './slip.ts';
import { duplicateCheck, populationStats, searchPeople } from './registry.search.ts';
import {
  addDocument,
  addMember,
  getHousehold,
  getPerson,
  personHistory,
  personViews,
  recordConsent,
  register,
  removeDocument,
  removeMember,
  updateHousehold,
  updateDocument,
  updatePerson,
  withdrawConsent,
  type Actor,
} from './registry.service.ts';

const Empty = z.object({}).strict();
const PersonParams = z.object({ id: Uuid });

/** The registry: registration, people, households, search, population figures. */
export const registryRoutes = (deps: AppDeps): FastifyPluginAsync => async (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const actor = async (request: FastifyRequest): Promise<Actor> => ({ principal: request.auth!.principal, policy: await deps.offices.policy(), requestId: request.id });
  const tags = ['registry'];

  app.post('/api/registry/registrations', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Register a household of new people (or new people joining a household)', body: RegistrationSchema, response: { 201: RegistrationResultDto } },
  }, async (request, reply) => reply.code(201).send(await register(deps, await actor(request), request.body)));

  app.post('/api/registry/duplicate-check', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Possible duplicates of a person about to be registered', body: DuplicateCheckSchema, response: { 200: DuplicateCheckResultDto } },
  }, async (request) => duplicateCheck(deps, await actor(request), request.body));

  app.get('/api/registry/people', {
    config: { policy: { access: 'permission', permission: 'registry.read' } },
    schema: { tags, summary: 'Search people by name (any script), registration id, document number or phone; filter and page', querystring: PersonSearchQuery, response: { 200: PersonSearchResultDto } },
  }, async (request) => searchPeople(deps, await actor(request), request.query));

  app.get('/api/registry/people/:id', {
    config: { policy: { access: 'permission', permission: 'registry.read' } },
    schema: {
      tags,
      summary: 'One person (the view is audited)',
      params: PersonParams,
      querystring: z.object({ purpose: z.string().trim().min(1).max(100).optional() }).strict(),
      response: { 200: PersonDto },
    },
  }, async (request) => getPerson(deps, await actor(request), request.params.id, request.query.purpose ?? null));

  app.patch('/api/registry/people/:id', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Change a person (send the version you read; a stale one gets 409 with the current record)', params: PersonParams, body: PersonUpdateSchema, response: { 200: PersonDto } },
  }, async (request) => updatePerson(deps, await actor(request), request.params.id, request.body));

  app.get('/api/registry/people/:id/history', {
    config: { policy: { access: 'permission', permission: 'registry.read' } },
    schema: { tags, summary: "A person's change history", params: PersonParams, response: { 200: z.object({ items: z.array(PersonChangeDto) }) } },
  }, async (request) => ({ items: await personHistory(deps, await actor(request), request.params.id) }));

  app.get('/api/registry/people/:id/views', {
    config: { policy: { access: 'permission', permission: 'audit.read' } },
    schema: {
      tags,
      summary: 'Who viewed and changed this person (data-protection officers)',
      params: PersonParams,
      response: { 200: z.object({ items: z.array(z.object({ at: z.string(), actorId: z.string().nullable(), actorName: z.string().nullable(), action: z.string(), purpose: z.string().nullable() })) }) },
    },
  }, async (request) => ({ items: await personViews(deps, await actor(request), request.params.id) }));

  app.post('/api/registry/people/:id/documents', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Add an identity document', params: PersonParams, body: DocumentInputSchema, response: { 200: PersonDto } },
  }, async (request) => addDocument(deps, await actor(request), request.params.id, request.body));

  app.patch('/api/registry/people/:id/documents/:documentId', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: {
      tags,
      summary: "Change an identity document (send the person's version you read; a stale one gets 409 with the current record)",
      params: z.object({ id: Uuid, documentId: Uuid }),
      body: DocumentUpdateSchema,
      response: { 200: PersonDto },
    },
  }, async (request) => updateDocument(deps, await actor(request), request.params.id, request.params.documentId, request.body));

  app.delete('/api/registry/people/:id/documents/:documentId', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Remove an identity document', params: z.object({ id: Uuid, documentId: Uuid }), response: { 200: PersonDto } },
  }, async (request) => removeDocument(deps, await actor(request), request.params.id, request.params.documentId));

  app.post('/api/registry/people/:id/consents', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Record consent (or refusal) for a purpose', params: PersonParams, body: ConsentInputSchema, response: { 200: PersonDto } },
  }, async (request) => recordConsent(deps, await actor(request), request.params.id, request.body));

  app.post('/api/registry/people/:id/consents/:consentId/withdraw', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Withdraw a consent', params: z.object({ id: Uuid, consentId: z.string().regex(/^\d{1,18}$/, 'a consent id') }), body: Empty, response: { 200: PersonDto } },
  }, async (request) => withdrawConsent(deps, await actor(request), request.params.id, request.params.consentId));

  app.get('/api/registry/households/:id', {
    config: { policy: { access: 'permission', permission: 'registry.read' } },
    schema: { tags, summary: 'A household with its members and membership history', params: PersonParams, response: { 200: HouseholdDto } },
  }, async (request) => getHousehold(deps, await actor(request), request.params.id));

  app.patch('/api/registry/households/:id', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: {
      tags,
      summary: "Change a household's head or head note",
      params: PersonParams,
      body: z.object({ headPersonId: Uuid.nullable().optional(), headNote: z.string().trim().min(3).max(500).nullable().optional(), version: z.number().int().min(1) }).strict(),
      response: { 200: HouseholdDto },
    },
  }, async (request) => updateHousehold(deps, await actor(request), request.params.id, request.body));

  app.post('/api/registry/households/:id/members', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Move a registered person into this household', params: PersonParams, body: z.object({ personId: Uuid, relationship: z.enum(RELATIONSHIPS) }).strict(), response: { 200: HouseholdDto } },
  }, async (request) => addMember(deps, await actor(request), request.params.id, request.body.personId, request.body.relationship));

  app.delete('/api/registry/households/:id/members/:personId', {
    config: { policy: { access: 'permission', permission: 'registry.register' } },
    schema: { tags, summary: 'Take a person out of this household', params: z.object({ id: Uuid, personId: Uuid }), response: { 200: HouseholdDto } },
  }, async (request) => removeMember(deps, await actor(request), request.params.id, request.params.personId));

  app.get('/api/registry/stats', {
    config: { policy: { access: 'permission', permission: 'registry.stats' } },
    schema: { tags, summary: 'Population figures in your scope (counts under 5 masked unless you may read the records)', querystring: z.object({ officeId: Uuid.optional() }).strict(), response: { 200: PopulationStatsDto } },
  }, async (request) => populationStats(deps, await actor(request), request.query.officeId));

  app.get('/api/registry/export', {
    config: { policy: { access: 'permission', permission: 'registry.export' } },
    schema: {
      tags,
      summary: 'Export the filtered list of people to CSV or XLSX (audited; specific needs only for those allowed them)',
      querystring: PersonSearchQuery.omit({ q: true, sort: true, page: true, pageSize: true }).extend({ format: z.enum(['csv', 'xlsx']).default('csv') }).strict(),
      response: { 200: z.unknown().describe('The file (text/csv or XLSX)') },
    },
  }, async (request, reply) => {
    const { format, ...filters } = request.query;
    const file = await exportPeople(deps, await actor(request), format, filters);
    return reply.type(file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).header('cache-control', 'no-store').send(file.stream);
  });

  app.get('/api/registry/people/:id/slip.pdf', {
    config: { policy: { access: 'permission', permission: 'registry.read' } },
    schema: {
      tags,
      summary: "A person's registration slip (PDF): names in both scripts, registration id with a QR code, household members",
      params: PersonParams,
      querystring: z.object({ lang: z.enum(['en', 'fr', 'es', 'ar']).optional() }).strict(),
      response: { 200: z.unknown().describe('application/pdf') },
    },
  }, async (request, reply) => {
    const a = await actor(request);
    const person = await getPerson(deps, a, request.params.id, 'registration_slip');
    const household = person.householdId ? await getHousehold(deps, a, person.householdId) : null;
    const [office] = await deps.offices.list(new Set([person.officeId]));
    const locale = request.auth!.locale;
    const language: SlipLanguage = request.query.lang ?? (['en', 'fr', 'es', 'ar'].includes(locale) ? (locale as SlipLanguage) : 'en');
    const pdf = await renderRegistrationSlip({
      registrationId: person.registrationId,
      officeName: office?.name ?? person.officeCode,
      registeredOn: person.createdAt.slice(0, 10),
      person,
      household: (household?.members ?? [])
        .filter((m) => m.id !== person.id)
        .map((m) => ({ registrationId: m.registrationId, name: [m.givenName, m.middleName, m.familyName].filter(Boolean).join(' '), nameOriginal: m.fullNameOriginal, relationship: m.relationship, age: m.age })),
      language,
      demo: deps.config.demo,
    });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${person.registrationId}.pdf"`).send(pdf);
  });
};
