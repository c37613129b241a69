import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '@passage/db';

/** Blind indexes Passage keeps; each has a key stored in `index_key`, made at the first start that needs it. */
export const INDEX_KEY_PURPOSES = ['registry.needs-index'] as const;
export type IndexKeyPurpose = (typeof INDEX_KEY_PURPOSES)[number];

/**
 * Envelope encryption for sensitive fields.
 *
 * A master key (32 bytes, from PASSAGE_MASTER_KEY; the demo keeps one in the data folder)
 * wraps data keys stored in `data_key`. Fields are sealed with AES-256-GCM under the active
 * data key, with the record id and field name as associated data: a ciphertext copied onto
 * another record or field fails to open. Rotating the master key re-wraps the data keys (and the blind-index keys,
 * `index_key`) only; rotating the data key makes new writes use a fresh key while old ciphertexts still open.
 *
 * Sealed format: `pe1.<dataKeyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class EncryptionService {
  private keys = new Map<string, Buffer>();
  private readonly indexKeys = new Map<string, Buffer>();
  private activeId: string | null = null;

  private constructor(private readonly db: Kysely<Database>, private masterKey: Buffer) {}

  /** Fingerprint naming a master key without revealing it. */
  static masterKeyId(key: Buffer): string {
    return crypto.createHash('sha256').update('passage-master-key').update(key).digest('hex').slice(0, 16);
  }

  /** Loads (and if none exists, creates) the data keys. Fails if they were wrapped by another master key. */
  static async open(db: Kysely<Database>, masterKey: Buffer): Promise<EncryptionService> {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
    const service = new EncryptionService(db, masterKey);
    await service.load();
    if (!service.activeId) {
      try {
        await service.rotateDataKey();
      } catch (error) {
        // Another process starting on the same new database made the first data key: use theirs.
        if ((error as { constraint?: unknown }).constraint !== 'data_key_one_active') throw error;
        await service.load();
      }
    }
    await service.loadIndexKeys();
    return service;
  }

  /**
   * Loads the blind-index keys, storing any that is missing. A missing key gets the value it had when it was derived
   * from the master key (HKDF, as `deriveKey` does), so indexes written before keys were stored still match.
   */
  private async loadIndexKeys(): Promise<void> {
    const mkId = EncryptionService.masterKeyId(this.masterKey);
    const stored = await this.db.selectFrom('index_key').selectAll().execute();
    const missing = INDEX_KEY_PURPOSES.filter((p) => !stored.some((r) => r.purpose === p));
    if (missing.length > 0) {
      await this.db
        .insertInto('index_key')
        .values(missing.map((purpose) => ({ purpose, wrapped: wrap(this.masterKey, this.hkdf(purpose), indexKeyAad(purpose)), master_key_id: mkId })))
        .onConflict((oc) => oc.column('purpose').doNothing()) // another process stored it first: read theirs
        .execute();
    }
    this.indexKeys.clear();
    for (const row of await this.db.selectFrom('index_key').selectAll().execute()) {
      if (row.master_key_id !== mkId) throw new Error('The index keys were wrapped by a different master key: check PASSAGE_MASTER_KEY');
      this.indexKeys.set(row.purpose, unwrap(this.masterKey, row.wrapped, indexKeyAad(row.purpose)));
    }
  }

  /** The key of a blind index: the same across master-key rotations (a copy; callers may not change the kept key). */
  indexKey(purpose: IndexKeyPurpose): Buffer {
    const key = this.indexKeys.get(purpose);
    if (!key) throw new Error(`No index key for ${purpose}`);
    return Buffer.from(key);
  }

  private hkdf(purpose: string): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.masterKey, Buffer.alloc(0), `passage:${purpose}`, 32));
  }

  private async load(): Promise<void> {
    const rows = await this.db.selectFrom('data_key').selectAll().execute();
    const mkId = EncryptionService.masterKeyId(this.masterKey);
    this.keys.clear();
    this.activeId = null;
    for (const row of rows) {
      if (row.master_key_id !== mkId) {
        throw new Error('The data keys were wrapped by a different master key: check PASSAGE_MASTER_KEY');
      }
      this.keys.set(row.id, unwrap(this.masterKey, row.wrapped));
      if (row.active) this.activeId = row.id;
    }
  }

  /** Creates a new active data key; older keys stay for decrypting existing values. */
  async rotateDataKey(): Promise<string> {
    const key = crypto.randomBytes(32);
    const id = await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('data_key').set({ active: false }).where('active', '=', true).execute();
      const row = await trx
        .insertInto('data_key')
        .values({ wrapped: wrap(this.masterKey, key), master_key_id: EncryptionService.masterKeyId(this.masterKey), active: true })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
    this.keys.set(id, key);
    this.activeId = id;
    return id;
  }

  /** Re-wraps every data key and index key under a new master key, in one transaction. Field values and indexes are untouched. */
  async rotateMasterKey(newMasterKey: Buffer): Promise<number> {
    if (newMasterKey.length !== 32) throw new Error('The master key must be 32 bytes');
    const newId = EncryptionService.masterKeyId(newMasterKey);
    const count = await this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('data_key').select(['id', 'wrapped']).forUpdate().execute();
      for (const row of rows) {
        const key = unwrap(this.masterKey, row.wrapped);
        await trx.updateTable('data_key').set({ wrapped: wrap(newMasterKey, key), master_key_id: newId }).where('id', '=', row.id).execute();
      }
      for (const row of await trx.selectFrom('index_key').select(['purpose', 'wrapped']).forUpdate().execute()) {
        const key = unwrap(this.masterKey, row.wrapped, indexKeyAad(row.purpose));
        await trx.updateTable('index_key').set({ wrapped: wrap(newMasterKey, key, indexKeyAad(row.purpose)), master_key_id: newId }).where('purpose', '=', row.purpose).execute();
      }
      return rows.length;
    });
    this.masterKey = newMasterKey;
    this.derived.clear(); // keys derived from the old master key
    return count;
  }

  private readonly derived = new Map<string, Buffer>();

  /**
   * A 32-byte key for a short-lived purpose (the sign-in flow's cookie), derived from the master key with HKDF once
   * and kept; it changes with the master key. For anything stored (a blind index) use `indexKey`.
   */
  deriveKey(purpose: string): Buffer {
    let key = this.derived.get(purpose);
    if (!key) {
      key = this.hkdf(purpose);
      this.derived.set(purpose, key);
    }
    return Buffer.from(key);
  }

  /** Seals a field value for one record. */
  seal(plaintext: string, recordId: string, field: string): string {
    const keyId = this.activeId;
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (!keyId || !key) throw new Error('No active data key');
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad(recordId, field));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['pe1', keyId, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Opens a sealed value; throws if it was tampered with or belongs to another record or field. */
  open(sealed: string, recordId: string, field: string): string {
    const [tag0, keyId, ivB, ctB, tagB] = sealed.split('.');
    if (tag0 !== 'pe1' || !keyId || ivB === undefined || ctB === undefined || tagB === undefined) throw new Error('Not a sealed value');
    const key = this.keys.get(keyId);
    if (!key) throw new Error('Unknown data key');
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(ivB, 'base64url'));
    decipher.setAAD(aad(recordId, field));
    decipher.setAuthTag(Buffer.from(tagB, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ctB, 'base64url')), decipher.final()]).toString('utf8');
  }
}

function aad(recordId: string, field: string): Buffer {
  return Buffer.from(`passage:${recordId}:${field}`, 'utf8');
}

const DATA_KEY_AAD = Buffer.from('passage:data-key');
const indexKeyAad = (purpose: string) => Buffer.from(`passage:index-key:${purpose}`);

function wrap(masterKey: Buffer, key: Buffer, associated = DATA_KEY_AAD): Buffer {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', masterKey, iv);
  cipher.setAAD(associated);
  const ct = Buffer.concat([cipher.update(key), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

function unwrap(masterKey: Buffer, wrapped: Buffer, associated = DATA_KEY_AAD): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', masterKey, wrapped.subarray(0, 12));
  decipher.setAAD(associated);
  decipher.setAuthTag(wrapped.subarray(12, 28));
  return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
}
