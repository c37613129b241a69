import crypto from 'node:crypto';
import path from 'node:path';
import { PassageError, notFound, type AttachmentDto } from '@passage/domain';
import { writeAudit, writeAuditNow } from '../../platform/audit.ts';
import { AttachmentStore, scannerFromEnv } from '../../platform/attachments/index.ts';
import type { Actor } from '../registry/registry.service.ts';
import { addEvent, userRefs } from './cases.repository.ts';
import { caseInScope, type CasesDeps } from './cases.service.ts';

/** Files on a case: stored content-addressed under the data folder by the attachment store; the row names them. */

const stores = new Map<string, AttachmentStore>();
const FILE_KEY_FIELD = 'file_key';

/** One store per data folder (size limit and scanner from the configuration). */
export function attachmentStore(config: { dataDir: string; attachmentMaxBytes: number; clamd: string | undefined }): AttachmentStore {
  const root = path.join(config.dataDir, 'attachments');
  let store = stores.get(root);
  if (!store) {
    store = new AttachmentStore({ root, maxBytes: config.attachmentMaxBytes, scanner: scannerFromEnv({ PASSAGE_CLAMD: config.clamd }) });
    stores.set(root, store);
  }
  return store;
}

/** Names as typed, without paths or control characters. */
function cleanFileName(name: string): string {
  const base = name.replace(/\\/g, '/').split('/').pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  if (!clean) throw new PassageError('validation_failed', 'The file needs a name', { errors: [{ field: 'fileName', message: 'required' }] });
  return clean;
}

export async function addAttachment(deps: CasesDeps & { config: { dataDir: string; attachmentMaxBytes: number; clamd: string | undefined } }, actor: Actor, caseId: string, fileName: string, body: NodeJS.ReadableStream): Promise<AttachmentDto> {
  // Who may attach is decided before a byte is stored.
  const c = await caseInScope(deps.db, actor, caseId, 'work');
  const name = cleanFileName(fileName);
  const id = crypto.randomUUID();
  // A restricted case's files are kept encrypted, each under its own key (sealed in the row).
  const fileKey = c.row.sensitivity === 'restricted' ? crypto.randomBytes(32) : null;
  const stored = await attachmentStore(deps.config).save(body, { fileName: name }, fileKey ? { encryptWith: fileKey } : {});
  const fileKeySealed = fileKey ? deps.encryption.seal(fileKey.toString('base64'), id, FILE_KEY_FIELD) : null;
  await deps.db.transaction().execute(async (trx) => {
    await trx.insertInto('case_attachment').values({ id, case_id: caseId, office_id: c.row.office_id, file_name: name, media_type: stored.mediaType, bytes: stored.bytes, sha256: stored.sha256, storage_key: stored.storageKey, scan: stored.scan, file_key_sealed: fileKeySealed, created_by: actor.principal.userId }).execute();
    await addEvent(trx, c.row, actor.principal.userId, 'attachment', { attachmentId: id, mediaType: stored.mediaType, bytes: stored.bytes });
    await writeAudit(trx, { actorId: actor.principal.userId, action: 'case.attachment.add', entityType: 'case', entityId: caseId, officeId: c.row.office_id, requestId: actor.requestId, details: { attachmentId: id, mediaType: stored.mediaType, bytes: stored.bytes } });
  });
  return (await listAttachments(deps, actor, caseId)).find((a) => a.id === id)!;
}

export async function listAttachments(deps: CasesDeps, actor: Actor, caseId: string): Promise<AttachmentDto[]> {
  await caseInScope(deps.db, actor, caseId, 'see');
  const rows = await deps.db.selectFrom('case_attachment').selectAll().where('case_id', '=', caseId).orderBy('created_at', 'desc').execute();
  const users = await userRefs(deps.db, rows.map((r) => r.created_by));
  return rows.map((r) => ({ id: r.id, fileName: r.file_name, mediaType: r.media_type, bytes: Number(r.bytes), sha256: r.sha256, scan: r.scan, createdBy: r.created_by ? (users.get(r.created_by) ?? null) : null, createdAt: r.created_at.toISOString() }));
}

/** Opens an attachment for download (the read is audited). */
export async function openAttachment(deps: CasesDeps & { config: { dataDir: string; attachmentMaxBytes: number; clamd: string | undefined } }, actor: Actor, attachmentId: string): Promise<{ stream: NodeJS.ReadableStream; fileName: string; mediaType: string; bytes: number }> {
  const row = await deps.db.selectFrom('case_attachment').selectAll().where('id', '=', attachmentId).executeTakeFirst();
  if (!row) throw notFound('Attachment');
  const c = await caseInScope(deps.db, actor, row.case_id, 'see').catch(() => {
    throw notFound('Attachment');
  });
  await writeAuditNow(deps.db, { actorId: actor.principal.userId, action: 'case.attachment.view', entityType: 'case', entityId: row.case_id, officeId: c.row.office_id, requestId: actor.requestId, purpose: c.access.via === 'break_glass' ? 'break_glass' : 'casework', details: { attachmentId } });
  const store = attachmentStore(deps.config);
  const stream = row.file_key_sealed ? await store.openDecrypted(row.storage_key, Buffer.from(deps.encryption.open(row.file_key_sealed, row.id, FILE_KEY_FIELD), 'base64')) : store.open(row.storage_key);
  return { stream, fileName: row.file_name, mediaType: row.media_type, bytes: Number(row.bytes) };
}
