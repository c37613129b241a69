import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createTestApp, type TestApp, type TestClient } from '../../testing.ts';

const CSV = 'text/csv';

describe('bulk import and export', () => {
  let t: TestApp;
  let officer: TestClient;
  let nl: string;
  let dataDir: string;

  const upload = async (client: TestClient, body: Buffer | string, fileName = 'people.csv', contentType = CSV) =>
    t.app.inject({ method: 'POST', url: `/api/registry/imports/uploads?fileName=${encodeURIComponent(fileName)}`, headers: { cookie: client.cookie, 'x-csrf-token': client.csrfToken, 'content-type': contentType }, payload: body });
  const start = async (uploadId: string, mapping: Record<string, string | null>, mode: string) => {
    const res = await t.request('POST', '/api/registry/imports', officer, { uploadId, officeId: nl, mapping, mode });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().id as string;
  };
  const waitFor = async (jobId: string) => {
    for (let i = 0; i < 300; i++) {
      const job = (await t.request('GET', `/api/registry/imports/${jobId}`, officer)).json();
      if (!['queued', 'running'].includes(job.status)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import did not finish');
  };
  // The job removes the upload just after its transaction commits, so the status can be read a moment before the file is gone.
  const goneSoon = async (file: string) => {
    for (let i = 0; i < 50 && fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    return !fs.existsSync(file);
  };
  const people = async (externalPrefix: string) => Number((await t.database.db.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n')).where('external_id', 'like', `${externalPrefix}%`).executeTakeFirstOrThrow()).n);

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'passage-import-'));
    t = await createTestApp({ dataDir });
    officer = await t.as('registration_officer');
    nl = t.demo.offices.find((o) => o.code === 'DEMO-NL')!.id;
  });
  after(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // A semicolon-separated file with a BOM, CRLF line ends, a quoted newline, households, and three bad rows.
  const csv = [
    'ID;Household;Relation;Prénom;Nom;Original name;Sexe;Date de naissance;Nationality;Population group;Phone;Passport;Needs',
    'A-1;H1;head;Mohammed;Al-Hassan;محمد الحسن;M;14/03/1985;SYR;refugee;+963944000111;N111;',
    'A-2;H1;spouse;Fatima;Al-Hassan;فاطمة الحسن;F;1988;SYR;refugee;;;"single_parent"',
    'A-3;H1;child;"Yusuf\nJunior";Al-Hassan;;m;2012-05-20;SYR;refugee;;;',
    'A-4;;;Oleksandr;Kovalenko;Олександр Коваленко;male;2023-02-30;UKR;internally displaced;;;',
    'A-5;;;Selam;Tesfay;ሰላም ተስፋይ;female;1990-01-01;XYZ;asylum seeker;;;',
    'A-6;;;Hawa;Warsame;;;1995-01-01;SOM;refugee;;;',
  ].join('\r\n');

  it('uploads, maps the headers by itself, and a dry run names every problem by row and column, writing nothing', async () => {
    const res = await upload(officer, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]));
    assert.equal(res.statusCode, 201, res.body);
    const up = res.json();
    assert.equal(up.delimiter, ';');
    assert.equal(up.suggestedMapping.given_name, 'Prénom');
    assert.equal(up.suggestedMapping.family_name, 'Nom');
    assert.equal(up.suggestedMapping.sex, 'Sexe');
    assert.equal(up.suggestedMapping.date_of_birth, 'Date de naissance');
    assert.equal(up.suggestedMapping.external_id, 'ID');
    const mapping = { ...up.suggestedMapping, household_ref: 'Household', relationship: 'Relation', name_original_script: 'Original name', document_number: 'Passport', specific_needs: 'Needs', phone: 'Phone', nationality: 'Nationality', population_group: 'Population group' };
    const job = await waitFor(await start(up.uploadId, mapping, 'dry_run'));
    assert.equal(job.status, 'succeeded', JSON.stringify(job));
    assert.equal(job.rowsRead, 6);
    assert.equal(job.rowsValid, 3);
    assert.equal(job.rowsInvalid, 3);
    const byRow = Object.fromEntries(job.problems.map((p: { row: number; column: string }) => [p.row, p.column]));
    assert.deepEqual(byRow, { 5: 'Date de naissance', 6: 'Nationality', 7: 'Sexe' });
    assert.equal(await people('A-'), 0);

    // All or nothing: three bad rows, so nothing.
    const none = await waitFor(await start(up.uploadId, mapping, 'all_or_nothing'));
    assert.equal(none.status, 'failed');
    assert.match(none.message, /Nothing imported/);
    assert.equal(await people('A-'), 0);
  });

  it('imports the valid rows with households and documents; re-importing the same file creates nothing new', async () => {
    const mapping = { external_id: 'ID', household_ref: 'Household', relationship: 'Relation', given_name: 'Prénom', family_name: 'Nom', name_original_script: 'Original name', sex: 'Sexe', date_of_birth: 'Date de naissance', nationality: 'Nationality', population_group: 'Population group', phone: 'Phone', document_number: 'Passport', specific_needs: 'Needs' };
    for (const round of [1, 2]) {
      const up = (await upload(officer, csv)).json();
      const job = await waitFor(await start(up.uploadId, mapping, 'valid_rows'));
      assert.equal(job.status, 'succeeded', JSON.stringify(job));
      assert.equal(job.rowsCreated, round === 1 ? 3 : 0);
      assert.equal(job.rowsExisting, round === 1 ? 0 : 3);
      assert.ok(await goneSoon(path.join(dataDir, 'imports', up.uploadId)), 'the uploaded file is deleted after the import');
    }
    assert.equal(await people('A-'), 3);
    const head = await t.database.db.selectFrom('person').selectAll().where('external_id', '=', 'A-1').executeTakeFirstOrThrow();
    assert.equal(head.date_of_birth, '1985-03-14');
    assert.deepEqual(head.phones, ['+963944000111']);
    const spouse = await t.database.db.selectFrom('person').selectAll().where('external_id', '=', 'A-2').executeTakeFirstOrThrow();
    assert.equal(spouse.dob_precision, 'year');
    assert.ok(spouse.specific_needs_sealed && !spouse.specific_needs_sealed.includes('single'));
    const hh = (await t.request('GET', `/api/registry/households/${head.household_id}`, officer)).json();
    assert.equal(hh.size, 3);
    assert.equal(hh.headPersonId, head.id);
    const found = (await t.request('GET', `/api/registry/people?q=${encodeURIComponent('N111')}`, officer)).json();
    assert.equal(found.items[0].id, head.id);
    const child = await t.database.db.selectFrom('person').select('given_name').where('external_id', '=', 'A-3').executeTakeFirstOrThrow();
    assert.equal(child.given_name, 'Yusuf Junior', 'a quoted newline inside a name is tidied to a space');
    const audit = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.import').execute();
    assert.equal(audit.length, 2);
  });

  it('reads Arabic text in Windows-1256', async () => {
    const body = iconv.encode('external_id,given_name,family_name,name_original_script,sex,population_group\r\nW-1,Ahmad,Khalil,أحمد خليل,male,refugee\r\n', 'windows-1256');
    const up = (await upload(officer, body)).json();
    assert.equal(up.encoding, 'windows-1256');
    const job = await waitFor(await start(up.uploadId, up.suggestedMapping, 'valid_rows'));
    assert.equal(job.rowsCreated, 1, JSON.stringify(job));
    const p = await t.database.db.selectFrom('person').selectAll().where('external_id', '=', 'W-1').executeTakeFirstOrThrow();
    assert.equal(p.full_name_original, 'أحمد خليل');
  });

  it('reads an XLSX with formulas and merged cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Registrations');
    ws.addRow(['external_id', 'given_name', 'family_name', 'sex', 'date_of_birth', 'population_group']);
    ws.addRow(['X-1', 'Amina', 'Yusuf', 'female', new Date(Date.UTC(2001, 4, 6)), 'refugee']);
    ws.addRow([{ formula: '"X-"&(1+1)', result: 'X-2' }, 'Omar', 'Yusuf', 'male', '2003-02-01', 'refugee']);
    ws.addRow(['X-3', 'Nur', 'Begum', 'female', '1999', 'stateless']);
    ws.addRow(['X-4', 'Extra', 'Row', 'male', '', '']);
    ws.mergeCells('E5:F5');
    const up = (await upload(officer, Buffer.from(await wb.xlsx.writeBuffer()), 'people.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).json();
    assert.equal(up.format, 'xlsx');
    const job = await waitFor(await start(up.uploadId, up.suggestedMapping, 'valid_rows'));
    assert.equal(job.rowsCreated, 3, JSON.stringify(job));
    assert.deepEqual(job.problems.map((p: { row: number; column: string }) => [p.row, p.column]), [[5, 'population_group']]);
    const amina = await t.database.db.selectFrom('person').selectAll().where('external_id', '=', 'X-1').executeTakeFirstOrThrow();
    assert.equal(amina.date_of_birth, '2001-05-06');
    assert.ok(await t.database.db.selectFrom('person').select('id').where('external_id', '=', 'X-2').executeTakeFirst(), 'the formula’s value is the id');
  });

  it('refuses unreadable files with a clear message: duplicated headers, unbalanced quotes, a missing required column, binary data, too large', async () => {
    const dup = await upload(officer, 'given_name,given_name,sex\nA,B,male\n');
    assert.equal(dup.statusCode, 400, dup.body);
    assert.match(dup.json().detail, /given_name/);
    // An unbalanced quote further down is found when the rows are read: the job fails naming the row, nothing is written.
    const quotes = (await upload(officer, 'external_id,given_name,sex,population_group\nQ-1,Sara,female,refugee\nQ-2,"Ali,male,refugee\nQ-3,Sara,female,refugee\n')).json();
    const failed = await waitFor(await start(quotes.uploadId, quotes.suggestedMapping, 'valid_rows'));
    assert.equal(failed.status, 'failed', JSON.stringify(failed));
    assert.match(failed.message, /quote/i);
    assert.equal(failed.problems[0].row, 3);
    assert.equal(await people('Q-'), 0);
    const binary = await upload(officer, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe, 0x00, 0x01]), 'photo.csv');
    assert.equal(binary.statusCode, 400, binary.body);
    const missing = (await upload(officer, 'given_name,population_group\nAli,refugee\n')).json();
    assert.deepEqual(missing.missingRequired, ['sex']);
    const res = await t.request('POST', '/api/registry/imports', officer, { uploadId: missing.uploadId, officeId: nl, mapping: missing.suggestedMapping, mode: 'dry_run' });
    assert.equal(res.statusCode, 400);
    assert.ok(res.json().errors.some((e: { field: string }) => e.field === 'mapping.sex'));
    const huge = await t.app.inject({ method: 'POST', url: '/api/registry/imports/uploads?fileName=huge.csv', headers: { cookie: officer.cookie, 'x-csrf-token': officer.csrfToken, 'content-type': CSV, 'content-length': String(2 * 1024 ** 3) }, payload: 'a,b\n' });
    assert.equal(huge.statusCode, 413, huge.body);
    assert.equal(huge.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  it('cancelling an import leaves no half-imported rows', async () => {
    const lines = ['external_id,given_name,family_name,sex,population_group'];
    for (let i = 0; i < 60_000; i++) lines.push(`C-${i},Given${i % 97},Family${i % 89},${i % 2 ? 'male' : 'female'},refugee`);
    const up = (await upload(officer, lines.join('\n'))).json();
    const id = await start(up.uploadId, up.suggestedMapping, 'valid_rows');
    for (let i = 0; i < 100; i++) {
      const job = (await t.request('GET', `/api/registry/imports/${id}`, officer)).json();
      if (job.status === 'running' || job.status === 'queued') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const cancel = await t.request('POST', `/api/registry/imports/${id}/cancel`, officer, {});
    assert.equal(cancel.statusCode, 200, cancel.body);
    const job = await waitFor(id);
    assert.equal(job.status, 'cancelled', JSON.stringify(job));
    assert.equal(await people('C-'), 0);
  });

  it('only importers of the office may upload, start, read or cancel imports', async () => {
    const caseworker = await t.as('caseworker');
    assert.equal((await upload(caseworker, csv)).statusCode, 403);
    const up = (await upload(officer, csv)).json();
    const south = t.demo.offices.find((o) => o.code === 'DEMO-SL')!.id;
    const res = await t.request('POST', '/api/registry/imports', officer, { uploadId: up.uploadId, officeId: south, mapping: up.suggestedMapping, mode: 'dry_run' });
    assert.equal(res.statusCode, 403);
    assert.ok(res.json().errors.some((e: { field: string }) => e.field === 'officeId'));
  });

  it('exports the filtered list to CSV and XLSX, neutralising formulas, audited; refused without the export permission', async () => {
    await t.database.db.updateTable('person').set({ middle_name: '=HYPERLINK("http://evil")' }).where('external_id', '=', 'A-1').execute();
    const res = await t.app.inject({ method: 'GET', url: '/api/registry/export?format=csv&nationality=SYR', headers: { cookie: officer.cookie } });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="passage-people-\d{4}-\d{2}-\d{2}\.csv"/);
    const text = res.body.replace(/^\uFEFF/, '');
    const [header, ...rows] = text.trim().split('\n');
    assert.ok(header!.startsWith('registration_id,external_id,given_name'));
    assert.ok(header!.includes('specific_needs'), 'a registration officer may see specific needs');
    assert.ok(rows.length >= 3);
    assert.ok(text.includes(`'=HYPERLINK`), 'a formula is written as text');
    assert.ok(!/Kovalenko/.test(text), 'the filter applies');
    const xlsx = await t.app.inject({ method: 'GET', url: '/api/registry/export?format=xlsx', headers: { cookie: officer.cookie } });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    assert.ok(wb.worksheets[0]!.rowCount >= 4);
    const events = await t.database.db.selectFrom('audit_event').selectAll().where('action', '=', 'person.export').execute();
    assert.equal(events.length, 2);
    assert.ok(events.every((e) => (e.details as { rows: number }).rows > 0));
    const caseworker = await t.as('caseworker');
    assert.equal((await t.request('GET', '/api/registry/export?format=csv', caseworker)).statusCode, 403);
  });
});
