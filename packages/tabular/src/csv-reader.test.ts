import assert from 'node:assert/strict';
import { createReadStream, type ReadStream } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { ByteSource } from './byte-source.ts';
import { sniffDelimiter } from './csv-reader.ts';
import { MAX_IMPORT_BYTES } from './errors.ts';
import { openTable, openTableFile } from './open-table.ts';
import { allRows, chunked, fixtureDir, rejectsWith } from './testing.ts';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const open = (data: Uint8Array, options = {}, chunkSize = 64 * 1024) => openTable(chunked(data, chunkSize), options);

describe('openTable on CSV', () => {
  let fixtures: Awaited<ReturnType<typeof fixtureDir>>;
  before(async () => {
    fixtures = await fixtureDir();
  });
  after(() => fixtures.cleanup());

  it('reads UTF-8 with a BOM and CRLF, quoted values with line breaks, separators and doubled quotes', async () => {
    const file = await fixtures.write(
      'bom.csv',
      utf8('\uFEFFfamily_name,given_name,notes\r\nHaddad,Amina,"first line\r\nsecond line"\r\n"Al-Khatib, Jr",Omar,"he said ""yes"""\r\n'),
    );
    const table = await openTableFile(file);
    assert.deepEqual(table.header, { columns: ['family_name', 'given_name', 'notes'], encoding: 'utf-8', delimiter: ',', format: 'csv' });
    assert.deepEqual(await allRows(table), [
      { row: 2, values: { family_name: 'Haddad', given_name: 'Amina', notes: 'first line\r\nsecond line' } },
      // The quoted value spans two lines of the file but is one spreadsheet row.
      { row: 3, values: { family_name: 'Al-Khatib, Jr', given_name: 'Omar', notes: 'he said "yes"' } },
    ]);
  });

  it('keeps values exactly (spaces included), strips a stray CR of mixed line endings, and gives "" for missing cells', async () => {
    const table = await open(utf8('a,b,c\n  x , y\r\n1\n'));
    assert.deepEqual(await allRows(table), [
      { row: 2, values: { a: '  x ', b: ' y', c: '' } },
      { row: 3, values: { a: '1', b: '', c: '' } },
    ]);
  });

  it('sniffs a semicolon separator from the header line', async () => {
    const table = await open(utf8('nom;prénom;ville\nDupont;Léa;Lyon, France\n'));
    assert.equal(table.header.delimiter, ';');
    assert.deepEqual(await allRows(table), [{ row: 2, values: { nom: 'Dupont', prénom: 'Léa', ville: 'Lyon, France' } }]);
  });

  it('sniffs a tab separator, and a given separator wins over sniffing', async () => {
    const tsv = await open(utf8('id\tname\n7\tSara, K.\n'));
    assert.equal(tsv.header.delimiter, '\t');
    assert.deepEqual(await allRows(tsv), [{ row: 2, values: { id: '7', name: 'Sara, K.' } }]);
    const forced = await open(utf8('a;b,c\n1;2,3\n'), { delimiter: ',' });
    assert.deepEqual(forced.header.columns, ['a;b', 'c']);
  });

  it('sniffDelimiter counts only outside quotes, on the first non-blank line', () => {
    assert.equal(sniffDelimiter('"a;b;c",d,e\n1;2;3;4;5;6\n'), ',');
    assert.equal(sniffDelimiter('\n\nx;y\n'), ';');
    assert.equal(sniffDelimiter('single\n1\n'), ',');
  });

  it('skips blank rows but keeps counting them, as a spreadsheet shows them', async () => {
    const table = await open(utf8('\n,,\nname,age\n\nAli,30\n , \nMona,41\n'));
    assert.deepEqual(await allRows(table), [
      { row: 5, values: { name: 'Ali', age: '30' } },
      { row: 7, values: { name: 'Mona', age: '41' } },
    ]);
  });

  it('reads a UTF-8 file whose characters are cut across chunks of one byte', async () => {
    const text = 'الاسم,المدينة\nفاطمة الزهراء,بيروت 🙂\n';
    const table = await open(utf8(text), {}, 1);
    assert.deepEqual(table.header.columns, ['الاسم', 'المدينة']);
    assert.deepEqual(await allRows(table), [{ row: 2, values: { الاسم: 'فاطمة الزهراء', المدينة: 'بيروت 🙂' } }]);
  });

  it("'auto' reads Arabic Windows-1256 (not valid UTF-8) as windows-1256", async () => {
    const text = 'الاسم;اسم العائلة;المدينة\r\nفاطمة;الحسيني;صيدا\r\nعمر;خليل;طرابلس\r\n';
    const file = await fixtures.write('arabic-1256.csv', iconv.encode(text, 'windows-1256'));
    const table = await openTableFile(file);
    assert.equal(table.header.encoding, 'windows-1256');
    assert.deepEqual(table.header.columns, ['الاسم', 'اسم العائلة', 'المدينة']);
    assert.deepEqual(await allRows(table), [
      { row: 2, values: { الاسم: 'فاطمة', 'اسم العائلة': 'الحسيني', المدينة: 'صيدا' } },
      { row: 3, values: { الاسم: 'عمر', 'اسم العائلة': 'خليل', المدينة: 'طرابلس' } },
    ]);
  });

  it("'auto' reads Western Windows-1252 (French, Spanish, typographic quotes) as windows-1252", async () => {
    const text = 'Nom,Prénom,Commentaire\nMüller,José,“l’année dernière” – €20\n';
    const table = await open(iconv.encode(text, 'windows-1252'));
    assert.equal(table.header.encoding, 'windows-1252');
    assert.deepEqual(await allRows(table), [{ row: 2, values: { Nom: 'Müller', Prénom: 'José', Commentaire: '“l’année dernière” – €20' } }]);
  });

  it('a chosen encoding is used as is', async () => {
    const bytes = iconv.encode('الاسم\nعلي\n', 'windows-1256');
    const table = await open(bytes, { encoding: 'windows-1256' });
    assert.deepEqual(await allRows(table), [{ row: 2, values: { الاسم: 'علي' } }]);
    // The same bytes declared UTF-8 are refused at the first row they break.
    await rejectsWith(open(bytes, { encoding: 'utf-8' }), 'undecodable', 1);
  });

  it('refuses random binary bytes as undecodable, naming the row', async () => {
    // Deterministic "random" bytes (a linear congruential generator), after a readable first line.
    const noise = new Uint8Array(4096);
    let seed = 42;
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      noise[i] = seed >>> 24;
    }
    const file = Buffer.concat([utf8('id,name\n1,ok\n'), noise]);
    const table = await open(file);
    await rejectsWith(allRows(table), 'undecodable', 3);
  });

  it('refuses NUL bytes (UTF-16 text, binary data) as undecodable', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,age\r\nAli,3\r\n', 'utf16le')]);
    await rejectsWith(open(utf16), 'undecodable', 1);
    const err = await rejectsWith(open(utf8('a,b\n1,2\n3,4\0\n')).then(allRows), 'undecodable', 3);
    assert.match(err.message, /Row 3/);
  });

  it('refuses an image read as CSV as undecodable (sniffed, it is unknown_format)', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00]);
    await rejectsWith(open(png, { format: 'csv' }), 'undecodable', 1);
    await rejectsWith(open(png), 'unknown_format', null);
  });

  it('when the first 64 KB were UTF-8, a later invalid byte is undecodable at its row, after the rows before it', async () => {
    const lines = ['id,city'];
    for (let i = 1; i <= 8000; i++) lines.push(`${i},Beyrouth`);
    const head = utf8(lines.join('\n') + '\n');
    assert.ok(head.length > 64 * 1024, 'the valid part must exceed the sniffed sample');
    const bad = iconv.encode('8001,Saida\n8002,صيدا\n8003,x\n', 'windows-1256');
    const table = await open(Buffer.concat([head, bad]), {}, 4096);
    assert.equal(table.header.encoding, 'utf-8');
    const seen: number[] = [];
    const err = await rejectsWith(
      (async () => {
        for await (const row of table.rows) seen.push(row.row);
      })(),
      'undecodable',
      8003,
    );
    assert.match(err.message, /Row 8003/);
    // Every row before the bad one was delivered first.
    assert.equal(seen.length, 8001);
    assert.equal(seen.at(-1), 8002);
  });

  it('names the row of a bad byte inside a quoted value spanning lines', async () => {
    const data = Buffer.concat([utf8('a,b\n1,"two\nlines"\n2,"x\ny'), Buffer.from([0xff]), utf8('"\n')]);
    await rejectsWith(open(data, { encoding: 'utf-8' }).then(allRows), 'undecodable', 3);
    // The same at the very end of the file: a character cut off by the end.
    await rejectsWith(open(utf8('a,b\n1,2\n3,\u00e9').subarray(0, -1), { encoding: 'utf-8' }).then(allRows), 'undecodable', 3);
  });

  it('duplicate_header names the column', async () => {
    await rejectsWith(open(utf8('name,age,name\n')), 'duplicate_header', 1, 'name');
    // Spaces around a name do not make it a different column.
    await rejectsWith(open(utf8('name,age, name \n')), 'duplicate_header', 1, 'name');
  });

  it('empty_header names the position; trailing empty header cells are dropped', async () => {
    const err = await rejectsWith(open(utf8('name,,age\n')), 'empty_header', 1, 'B');
    assert.match(err.message, /position 2/);
    const table = await open(utf8('name,age,,\nAli,3,,\n'));
    assert.deepEqual(table.header.columns, ['name', 'age']);
    assert.deepEqual(await allRows(table), [{ row: 2, values: { name: 'Ali', age: '3' } }]);
  });

  it('no_header for an empty file and for a file of blank lines', async () => {
    await rejectsWith(open(new Uint8Array(0)), 'no_header', null);
    await rejectsWith(open(utf8('\uFEFF\r\n\r\n ,\n')), 'no_header', null);
  });

  it('unbalanced_quotes names the row where the quote opened', async () => {
    const err = await rejectsWith(open(utf8('a,b\n1,2\n3,"never closed\n4,5\n6,7\n')).then(allRows), 'unbalanced_quotes', 3);
    assert.match(err.message, /row 3/);
  });

  it('keeps a quote inside an unquoted value literally, as spreadsheets do', async () => {
    const table = await open(utf8('item,nickname\n15" screen,Mohamed "Mo"\n'));
    assert.deepEqual(await allRows(table), [{ row: 2, values: { item: '15" screen', nickname: 'Mohamed "Mo"' } }]);
  });

  it('a quote that never closes cannot swallow the file: refused after 1 MB, at its row', async () => {
    const data = utf8('a,b\n1,2\n3,"' + 'x,y\n'.repeat(400_000));
    await rejectsWith(open(data).then(allRows), 'unbalanced_quotes', 3);
    await rejectsWith(open(utf8('a\n' + 'x'.repeat(1_100_000) + '\n')).then(allRows), 'row_too_large', 2);
  });

  it('row_too_long for a value beyond the last column; empty extra cells are tolerated', async () => {
    await rejectsWith(open(utf8('a,b\n1,2\n3,4,5\n')).then(allRows), 'row_too_long', 3, 'C');
    const table = await open(utf8('a,b\n1,2,,\n'));
    assert.deepEqual(await allRows(table), [{ row: 2, values: { a: '1', b: '2' } }]);
  });

  it('a column called __proto__ is an ordinary key', async () => {
    const [row] = await allRows(await open(utf8('__proto__,constructor\nx,y\n')));
    assert.equal(Object.getPrototypeOf(row!.values), Object.prototype);
    assert.deepEqual(Object.entries(row!.values), [
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });

  it('reads a Node stream, also one set to yield strings', async () => {
    const stream = Readable.from([utf8('a,b\n1,2\n')]);
    assert.deepEqual(await allRows(await openTable(stream)), [{ row: 2, values: { a: '1', b: '2' } }]);
    const file = await fixtures.write('strings.csv', utf8('é,ü\nà,ö\n'));
    const strings = createReadStream(file, { encoding: 'utf8', highWaterMark: 3 });
    assert.deepEqual(await allRows(await openTable(strings)), [{ row: 2, values: { é: 'à', ü: 'ö' } }]);
  });

  it('too_large before reading anything when sizeBytes is over the limit', async () => {
    let pulled = false;
    const source = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          pulled = true;
          return { done: true as const, value: undefined };
        },
      }),
    };
    await rejectsWith(openTable(source, { sizeBytes: MAX_IMPORT_BYTES + 1 }), 'too_large', null);
    assert.equal(pulled, false);
  });

  it('too_large from the file size, without reading the file (a sparse file of 1 GiB + 1 byte)', async () => {
    const file = await fixtures.write('huge.csv', '');
    await truncate(file, MAX_IMPORT_BYTES + 1);
    await rejectsWith(openTableFile(file), 'too_large', null);
  });

  it('too_large while streaming when the size was not known', async () => {
    const chunk = Buffer.alloc(64 * 1024 * 1024);
    const source = (async function* () {
      for (;;) yield chunk;
    })();
    const bytes = new ByteSource(source);
    let total = 0;
    await rejectsWith(
      (async () => {
        for await (const c of bytes.chunks()) total += c.length;
      })(),
      'too_large',
      null,
    );
    assert.equal(total, MAX_IMPORT_BYTES);
  });

  it('close() releases the input when reading stops early', async () => {
    const stream = Readable.from(
      (function* () {
        yield utf8('a\n');
        for (let i = 0; i < 1_000_000; i++) yield utf8(`${i}\n`);
      })(),
    );
    const table = await openTable(stream);
    for await (const row of table.rows) if (row.row === 10) break;
    assert.equal(stream.destroyed, true);
    const again = Readable.from([utf8('a\n1\n')]);
    const unread = await openTable(again);
    await unread.close();
    assert.equal(again.destroyed, true);
  });
});

describe('abandoned tables', () => {
  it('a table dropped after reading its header releases its file when garbage-collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const fixtures = await fixtureDir();
    try {
      const file = await fixtures.write('header-only.csv', 'a,b\n' + '1,2\n'.repeat(100_000));
      let stream: ReadStream | undefined;
      await (async () => {
        stream = createReadStream(file);
        const { header } = await openTable(stream);
        assert.deepEqual(header.columns, ['a', 'b']);
      })();
      for (let i = 0; i < 20 && stream!.destroyed !== true; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(stream!.destroyed, true);
    } finally {
      await fixtures.cleanup();
    }
  });
});
