import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { sql, type SqlBool } from 'kysely';
import { effectiveNeeds, type PersonSearchQuery, type SpecificNeeds } from '@passage/domain';
import { writeAuditNow } from '../../platform/audit.ts';
import { NEEDS_FIELD, personQuery } from './registry.repository.ts';
import { filterConditions } from './registry.search.ts';
import type { Actor, RegistryDeps } from './registry.service.ts';

const PAGE = 5000;

/** A cell a spreadsheet would run as a formula ("=HYPERLINK(…)") is written as text: CSV injection defence (OWASP). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The columns of an export, in order. `specific_needs` only when the user may see them. */
function columns(withNeeds: boolean): string[] {
  return [
    'registration_id', 'external_id', 'given_name', 'middle_name', 'family_name', 'name_original_script', 'aliases', 'sex', 'date_of_birth',
    'dob_precision', 'nationality', 'country_of_birth', 'population_group', 'office_code', 'household_id', 'relationship', 'phones',
    'languages', 'documents', ...(withNeeds ? ['specific_needs'] : []), 'registered_at',
  ];
}

/**
 * Streams the people matching the filters, page by page (keyset on id), as rows of strings. Every row
 * is in the actor's export scope; specific needs are decrypted only for offices where they may see them.
 */
async function* exportRows(deps: RegistryDeps, actor: Actor, filters: Omit<PersonSearchQuery, 'q' | 'sort' | 'page' | 'pageSize'>, withNeeds: boolean, counter: { rows: number }): AsyncGenerator<string[]> {
  const where = await filterConditions(deps, actor, filters, 'registry.export');
  const sensitive = actor.policy.scope(actor.principal, 'registry.sensitive');
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await personQuery(deps.db)
      .where(where)
      .where(sql<SqlBool>`p.id > ${after}::uuid`)
      .select(sql<string>`(SELECT string_agg(d.type || ':' || d.number, '; ' ORDER BY d.created_at) FROM identity_document d WHERE d.person_id = p.id)`.as('documents'))
      .orderBy('p.id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    for (const r of rows) {
      let needs = '';
      if (withNeeds && r.specific_needs_sealed && sensitive.has(r.office_id)) {
        needs = effectiveNeeds(JSON.parse(deps.encryption.open(r.specific_needs_sealed, r.id, NEEDS_FIELD)) as SpecificNeeds).join('; ');
      }
      const values = [
        r.registration_id, r.external_id ?? '', r.given_name, r.middle_name ?? '', r.family_name ?? '', r.full_name_original ?? '', r.aliases.join('; '), r.sex,
        r.date_of_birth ?? '', r.dob_precision, r.nationality ?? '', r.country_of_birth ?? '', r.population_group, r.office_code, r.household_id ?? '',
        r.relationship ?? '', r.phones.join('; '), r.languages.join('; '), r.documents ?? '', ...(withNeeds ? [needs] : []), r.created_at.toISOString(),
      ];
      counter.rows++;
      yield values.map(neutraliseFormula);
    }
    after = rows[rows.length - 1]!.id;
  }
}

/** An export as a stream, with its content type and file name; audited when it ends (with the row count). */
export async function exportPeople(deps: RegistryDeps, actor: Actor, format: 'csv' | 'xlsx', filters: Omit<PersonSearchQuery, 'q' | 'sort' | 'page' | 'pageSize'>): Promise<{ stream: Readable; contentType: string; fileName: string }> {
  const withNeeds = actor.policy.can(actor.principal, 'registry.sensitive');
  const header = columns(withNeeds);
  const counter = { rows: 0 };
  const stamp = new Date().toISOString().slice(0, 10);
  const audit = (outcome: 'success' | 'failure') =>
    writeAuditNow(deps.db, {
      actorId: actor.principal.userId,
      action: 'person.export',
      entityType: 'person',
      officeId: filters.officeId ?? null,
      requestId: actor.requestId,
      outcome,
      details: { format, rows: counter.rows, filters: Object.keys(filters).filter((k) => (filters as Record<string, unknown>)[k] !== undefined), specificNeedsIncluded: withNeeds },
    }).catch(() => undefined);
  const source = Readable.from(exportRows(deps, actor, filters, withNeeds, counter));
  let stream: Readable;
  if (format === 'csv') {
    const csv = stringify({ header: true, columns: header, bom: true });
    source.on('error', (e) => csv.destroy(e));
    stream = source.pipe(csv);
  } else {
    const out = new PassThrough();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('People');
    sheet.addRow(header).commit();
    void (async () => {
      try {
        for await (const row of source as AsyncIterable<string[]>) sheet.addRow(row).commit();
        sheet.commit();
        await workbook.commit();
      } catch (error) {
        out.destroy(error as Error);
      }
    })();
    stream = out;
  }
  stream.on('end', () => void audit('success'));
  stream.on('error', () => void audit('failure'));
  return {
    stream,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `passage-people-${stamp}.${format}`,
  };
}
