import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TFunction } from 'i18next';
import { DocumentInputSchema } from '@passage/domain/registry/model';
import { changedDocumentFields, changedFields, documentDraftFrom, documentInput, documentUpdateBody, emptyMember, emptyPerson, needsInput, rebase, rebaseDocument, updateBody, validateMember } from './person-draft.ts';
import { issuesToErrors, problemMessage, serverErrors } from './validation.ts';

/** A stand-in for i18next's t: the key and its options, so tests see what would be translated. */
const t = ((key: string, options?: Record<string, unknown>) => (options && Object.keys(options).length > 0 ? `${key} ${JSON.stringify(options)}` : key)) as unknown as TFunction;

describe('person drafts', () => {
  it('a new member validates against the shared schema, with field paths', () => {
    const m = emptyMember('head', 'en');
    const r = validateMember(m, true);
    assert.equal(r.success, false);
    const errors = issuesToErrors(t, r.error!.issues, r.input);
    assert.equal(errors['givenName'], 'registry.validation.required');
    assert.equal(errors['sex'], 'validation.required');
    assert.equal(errors['populationGroup'], 'validation.required');

    const ok = validateMember({ ...m, givenName: 'Mohammed', familyName: 'Al-Hassan', sex: 'male', populationGroup: 'refugee', dateOfBirth: '1985-03-14', nationality: 'SYR' }, true);
    assert.equal(ok.success, true);
  });

  it('names the invalid document and date fields', () => {
    const m = { ...emptyMember('head', 'en'), givenName: 'A', sex: 'female' as const, populationGroup: 'refugee' as const, dateOfBirth: '2999-01-01' };
    m.documents = [{ key: 'd', type: 'passport', number: 'N12#', issuingCountry: '', issueDate: '2020-01-01', expiryDate: '2019-01-01' }];
    const r = validateMember(m, false);
    const errors = issuesToErrors(t, r.error!.issues, r.input);
    assert.equal(errors['dateOfBirth'], 'registry.validation.dobFuture');
    assert.equal(errors['documents.0.number'], 'registry.validation.documentNumber');
    assert.equal(errors['documents.0.expiryDate'], 'registry.validation.expiryAfterIssue');
  });

  it('empty needs are sent as none; answers without needs are kept', () => {
    assert.equal(needsInput({ needs: [], washingtonGroup: {}, note: ' ' }), null);
    assert.deepEqual(needsInput({ needs: [], washingtonGroup: { walking: 'a_lot_of_difficulty', seeing: undefined }, note: '' }), { needs: [], washingtonGroup: { walking: 'a_lot_of_difficulty' }, note: null });
  });

  it('an update sends only the changed fields with the version read', () => {
    const base = { ...emptyPerson(), givenName: 'Mohammed', sex: 'male' as const, populationGroup: 'refugee' as const, languages: 'ar' };
    const edited = { ...base, middleName: 'Ahmad', languages: 'ar, en' };
    assert.deepEqual(changedFields(base, edited), ['middleName', 'languages']);
    assert.deepEqual(updateBody(base, edited, 3), { version: 3, middleName: 'Ahmad', languages: ['ar', 'en'] });
  });

  it('a stale reload keeps the user\'s edits on top of the newer record', () => {
    const base = { ...emptyPerson(), givenName: 'Mohammed', familyName: 'Hassan' };
    const mine = { ...base, middleName: 'Ahmad' };
    const theirs = { ...base, familyName: 'Al-Hassan', languages: 'ar' };
    assert.deepEqual(rebase(base, mine, theirs), { ...theirs, middleName: 'Ahmad' });
  });
});

describe('document drafts', () => {
  const stored = { id: 'd1', type: 'passport' as const, number: 'N 0123-4567', issuingCountry: 'SYR', issueDate: '2015-01-01', expiryDate: '2025-01-01', version: 2 };

  it('an edit sends only the changed fields, tidied by the shared schema, an emptied one as null, with the person\'s version', () => {
    const base = documentDraftFrom(stored);
    assert.deepEqual(base, { key: 'd1', type: 'passport', number: 'N 0123-4567', issuingCountry: 'SYR', issueDate: '2015-01-01', expiryDate: '2025-01-01' });
    const edited = { ...base, number: ' N  0123-4568 ', issuingCountry: '', expiryDate: '2035-01-01' };
    assert.deepEqual(changedDocumentFields(base, edited), ['number', 'issuingCountry', 'expiryDate']);
    const valid = DocumentInputSchema.parse(documentInput(edited));
    assert.deepEqual(documentUpdateBody(base, edited, valid, 7), { version: 7, number: 'N 0123-4568', issuingCountry: null, expiryDate: '2035-01-01' });
    assert.deepEqual(documentUpdateBody(base, base, DocumentInputSchema.parse(documentInput(base)), 7), { version: 7 });
  });

  it('the same schema as adding one names the wrong field of an edited document', () => {
    const edited = { ...documentDraftFrom(stored), expiryDate: '2014-12-31', issuingCountry: 'XQZ' };
    const input = documentInput(edited);
    const r = DocumentInputSchema.safeParse(input);
    assert.equal(r.success, false);
    const errors = issuesToErrors(t, r.error!.issues, input);
    assert.equal(errors['expiryDate'], 'registry.validation.expiryAfterIssue');
    assert.equal(errors['issuingCountry'], 'registry.validation.country');
  });

  it('a stale reload keeps the user\'s edits of the document on top of the newer one', () => {
    const base = documentDraftFrom(stored);
    const mine = { ...base, expiryDate: '2030-01-01' };
    const theirs = { ...base, number: 'N 0123-4560' };
    assert.deepEqual(rebaseDocument(base, mine, theirs), { ...theirs, expiryDate: '2030-01-01' });
  });
});

describe('validation messages', () => {
  it('translates known messages and keeps unknown server words', () => {
    assert.equal(problemMessage(t, { message: 'at most 100 characters' }), 'registry.validation.tooLong {"max":"100"}');
    assert.equal(problemMessage(t, { message: 'unknown ISO 3166-1 alpha-3 country code' }), 'registry.validation.country');
    assert.equal(problemMessage(t, { message: 'already used' }), 'already used');
    assert.equal(problemMessage(t, { message: 'already recorded' }), 'registry.validation.documentRecorded');
  });

  it('reads the server\'s field paths', () => {
    assert.deepEqual(serverErrors(t, [{ field: 'members.2.givenName', message: 'required' }, { field: 'body.headNote', message: 'x' }, { field: '/body/officeId', message: 'y' }]), {
      'members.2.givenName': 'registry.validation.required',
      headNote: 'x',
      officeId: 'y',
    });
  });
});
