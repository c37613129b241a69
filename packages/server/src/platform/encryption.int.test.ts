import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@passage/db/testing';
import { needsIndex } from '../modules/registry/registry.repository.ts';
import { EncryptionService } from './encryption.ts';

describe('envelope encryption', () => {
  let d: TestDatabase;
  const master = crypto.randomBytes(32);
  before(async () => {
    d = await createTestDatabase();
  });
  after(() => d.close());

  it('seals and opens; the ciphertext is bound to its record and field', async () => {
    const enc = await EncryptionService.open(d.db, master);
    const sealed = enc.seal('survivor of trafficking — مُعرّض للخطر', 'person-1', 'specific_needs');
    assert.ok(!sealed.includes('survivor'));
    assert.notEqual(sealed, enc.seal('survivor of trafficking — مُعرّض للخطر', 'person-1', 'specific_needs'), 'random IV');
    assert.equal(enc.open(sealed, 'person-1', 'specific_needs'), 'survivor of trafficking — مُعرّض للخطر');
    assert.throws(() => enc.open(sealed, 'person-2', 'specific_needs'));
    assert.throws(() => enc.open(sealed, 'person-1', 'notes'));
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    assert.throws(() => enc.open(parts.join('.'), 'person-1', 'specific_needs'));
  });

  it('stores data keys only wrapped, and refuses the wrong master key', async () => {
    const rows = await d.db.selectFrom('data_key').selectAll().execute();
    assert.equal(rows.length, 1);
    await assert.rejects(EncryptionService.open(d.db, crypto.randomBytes(32)), /different master key/);
  });

  it('rotates the master key by re-wrapping data keys; old values still open', async () => {
    const enc = await EncryptionService.open(d.db, master);
    const sealed = enc.seal('value', 'r', 'f');
    const newMaster = crypto.randomBytes(32);
    assert.equal(await enc.rotateMasterKey(newMaster), 1);
    await assert.rejects(EncryptionService.open(d.db, master), /different master key/);
    const reopened = await EncryptionService.open(d.db, newMaster);
    assert.equal(reopened.open(sealed, 'r', 'f'), 'value');
    // A new data key for new writes; old ciphertexts open with the old key.
    await reopened.rotateDataKey();
    const newer = reopened.seal('value2', 'r', 'f');
    assert.notEqual(newer.split('.')[1], sealed.split('.')[1]);
    const again = await EncryptionService.open(d.db, newMaster);
    assert.equal(again.open(sealed, 'r', 'f'), 'value');
    assert.equal(again.open(newer, 'r', 'f'), 'value2');
  });

  it('keeps blind-index keys across a master-key rotation, so specific needs recorded before it are still found', async () => {
    const fresh = await createTestDatabase();
    try {
      const first = crypto.randomBytes(32);
      // Two processes starting at once on a new database store one key between them.
      const [enc, other] = await Promise.all([EncryptionService.open(fresh.db, first), EncryptionService.open(fresh.db, first)]);
      assert.deepEqual(enc.indexKey('registry.needs-index'), other.indexKey('registry.needs-index'));
      assert.equal((await fresh.db.selectFrom('index_key').selectAll().execute()).length, 1);
      // The stored key is the value the key was derived to before keys were stored: indexes written then still match.
      assert.deepEqual(enc.indexKey('registry.needs-index'), Buffer.from(crypto.hkdfSync('sha256', first, Buffer.alloc(0), 'passage:registry.needs-index', 32)));
      const before = needsIndex(enc, ['unaccompanied_child', 'survivor_of_violence']);
      const row = await fresh.db.selectFrom('index_key').selectAll().executeTakeFirstOrThrow();
      assert.ok(!row.wrapped.includes(enc.indexKey('registry.needs-index')), 'stored only wrapped');

      const second = crypto.randomBytes(32);
      await enc.rotateMasterKey(second);
      await assert.rejects(EncryptionService.open(fresh.db, first), /different master key/);
      const reopened = await EncryptionService.open(fresh.db, second);
      assert.deepEqual(needsIndex(reopened, ['unaccompanied_child', 'survivor_of_violence']), before, 'the same index after the rotation');
      // A short-lived derived key (the sign-in cookie's) does change with the master key.
      assert.notDeepEqual(reopened.deriveKey('oidc-flow-cookie'), Buffer.from(crypto.hkdfSync('sha256', first, Buffer.alloc(0), 'passage:oidc-flow-cookie', 32)));
    } finally {
      await fresh.close();
    }
  });
});
