import type { Kysely, Transaction } from 'kysely';
import type { Database, Office } from '@passage/db';

/** An office as the API shows it. */
export interface OfficeDto {
  id: string;
  parentId: string | null;
  code: string;
  name: string;
  kind: 'global' | 'country' | 'sub_office';
  countryCode: string | null;
  active: boolean;
  version: number;
}

/** Maps a row to the API shape. */
export function toOfficeDto(row: Office): OfficeDto {
  return { id: row.id, parentId: row.parent_id, code: row.code, name: row.name, kind: row.kind, countryCode: row.country_code, active: row.active, version: row.version };
}

/** One office or undefined. */
export function findOffice(db: Kysely<Database> | Transaction<Database>, id: string): Promise<Office | undefined> {
  return db.selectFrom('office').selectAll().where('id', '=', id).executeTakeFirst();
}
