import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { createDecoder, detectEncoding } from './decode.ts';

describe('detectEncoding', () => {
  const cases: [string, Uint8Array, string][] = [
    ['ASCII', Buffer.from('id,name\n1,Ali\n'), 'utf-8'],
    ['UTF-8 Arabic', Buffer.from('الاسم\nفاطمة\n'), 'utf-8'],
    ['windows-1256 Arabic', iconv.encode('الاسم,اسم العائلة\nفاطمة,الحسيني\n', 'windows-1256'), 'windows-1256'],
    ['windows-1252 French', iconv.encode('nom,prénom\nDupont,Léa\n', 'windows-1252'), 'windows-1252'],
    // Upper-case accents fall on Arabic letters of windows-1256, but inside Latin words.
    ['windows-1252 upper case', iconv.encode('NOM,PRÉNOM\nMÜLLER,JOSÉ\nÇELIK,ÉLODIE\n', 'windows-1252'), 'windows-1252'],
    ['windows-1252 quotes only', iconv.encode('note\nit’s “fine”\n', 'windows-1252'), 'windows-1252'],
    // Not text: left to the UTF-8 decoder, which refuses it at the first bad byte.
    ['UTF-16', Buffer.from('name\r\nAli\r\n', 'utf16le'), 'utf-8'],
    ['binary', Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x90, 0x80, 0x10, 0x11, 0x12, 0x13, 0x9d, 0x81]), 'utf-8'],
  ];
  for (const [name, bytes, expected] of cases) {
    it(`${name} → ${expected}`, () => assert.equal(detectEncoding(bytes, true), expected));
  }

  it('a sample cut inside a UTF-8 character is still UTF-8', () => {
    const bytes = Buffer.from('abc é', 'utf8');
    assert.equal(detectEncoding(bytes.subarray(0, bytes.length - 1), false), 'utf-8');
  });
});

describe('createDecoder', () => {
  it('UTF-8: joins characters split across chunks and stops at the first bad byte', () => {
    const decoder = createDecoder('utf-8');
    const bytes = Buffer.from('ab🙂c', 'utf8');
    let text = '';
    for (const b of bytes) text += decoder.write(Uint8Array.of(b)).text;
    assert.equal(text + decoder.end().text, 'ab🙂c');

    const bad = createDecoder('utf-8');
    assert.deepEqual(bad.write(Buffer.from([0x61, 0xe2, 0x82])), { text: 'a', invalid: false });
    // The character begun in the last chunk is broken by the next: the text before it is returned.
    assert.deepEqual(bad.write(Buffer.from([0x41, 0x42])), { text: '', invalid: true });
  });

  it('UTF-8: strips the BOM at the start only, and refuses NUL', () => {
    const decoder = createDecoder('utf-8');
    assert.deepEqual(decoder.write(Buffer.from('\uFEFFa\uFEFF', 'utf8')), { text: 'a\uFEFF', invalid: false });
    assert.deepEqual(createDecoder('utf-8').write(Buffer.from('ab\0cd')), { text: 'ab', invalid: true });
  });

  it('windows-1252: the five undefined bytes are not text', () => {
    assert.deepEqual(createDecoder('windows-1252').write(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x81])), { text: 'café', invalid: true });
    assert.deepEqual(createDecoder('windows-1256').write(iconv.encode('عمر', 'windows-1256')), { text: 'عمر', invalid: false });
  });
});
