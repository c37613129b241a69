import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TFunction } from 'i18next';
import { changedFields, emptyMember, emptyPerson, needsInput, rebase, updateBody, validateMember } from './person-draft.ts';
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

describe('validation messages', () => {
  it('translates known messages and keeps unknown server words', () => {
    assert.equal(problemMessage(t, { message: 'at most 100 characters' }), 'registry.validation.tooLong {"max":"100"}');
    assert.equal(problemMessage(t, { message: 'unknown ISO 3166-1 alpha-3 country code' }), 'registry.validation.country');
    assert.equal(problemMessage(t, { message: 'already used' }), 'already used');
  });

  it('reads the server\'s field paths', () => {
    assert.deepEqual(serverErrors(t, [{ field: 'members.2.givenName', message: 'required' }, { field: 'body.headNote', message: 'x' }, { field: '/body/officeId', message: 'y' }]), {
      'members.2.givenName': 'registry.validation.required',
      headNote: 'x',
      officeId: 'y',
    });
  });
});
