import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jaro, jaroWinkler, seededRandom, soundexClass, withinOneEdit } from './strings.ts';

const close = (a: number, b: number, eps = 0.001) => assert.ok(Math.abs(a - b) < eps, `${a} ≈ ${b}`);

describe('Jaro-Winkler', () => {
  it('gives the textbook values', () => {
    close(jaroWinkler('martha', 'marhta'), 0.961);
    close(jaroWinkler('dwayne', 'duane'), 0.84);
    close(jaroWinkler('dixon', 'dicksonx'), 0.813);
    close(jaro('martha', 'marhta'), 0.944);
  });
  it('gives the standards file figures for transliterations', () => {
    close(jaroWinkler('mohammed', 'muhammad'), 0.85, 0.005);
    close(jaroWinkler('yusuf', 'youssef'), 0.811, 0.005);
    close(jaroWinkler('abdullah', 'abdallah'), 0.908, 0.005);
  });
  it('handles empty, equal and very long strings, in bounded time', () => {
    assert.equal(jaroWinkler('', ''), 0);
    assert.equal(jaroWinkler('abc', ''), 0);
    assert.equal(jaroWinkler('abc', 'abc'), 1);
    const long = 'a'.repeat(100_000);
    const t0 = performance.now();
    assert.ok(jaroWinkler(long, `${long}b`) > 0.9);
    assert.ok(performance.now() - t0 < 50);
  });
  it('is symmetric', () => {
    for (const [a, b] of [['hassan', 'husayn'], ['olena', 'elena'], ['abc', 'cab']]) assert.equal(jaroWinkler(a!, b!), jaroWinkler(b!, a!));
  });
});

describe('withinOneEdit', () => {
  it('accepts one substitution, insertion, deletion or adjacent swap', () => {
    assert.ok(withinOneEdit('N1234567', 'N1234567'));
    assert.ok(withinOneEdit('N1234567', 'N1234568'));
    assert.ok(withinOneEdit('N1234567', 'N123457'));
    assert.ok(withinOneEdit('N123457', 'N1234567'));
    assert.ok(withinOneEdit('N1234567', 'N1243567'));
    assert.ok(withinOneEdit('aba', 'ba'));
  });
  it('refuses two edits', () => {
    assert.ok(!withinOneEdit('N1234567', 'N1234588'));
    assert.ok(!withinOneEdit('N1234567', 'N12345'));
    assert.ok(!withinOneEdit('abcd', 'badc'));
  });
});

describe('helpers', () => {
  it('soundex classes group letters', () => {
    assert.equal(soundexClass('m'), soundexClass('n'));
    assert.equal(soundexClass('c'), soundexClass('k'));
    assert.notEqual(soundexClass('m'), soundexClass('k'));
    assert.equal(soundexClass('a'), soundexClass('y'));
    assert.equal(soundexClass('1'), -1);
  });
  it('the random generator is seeded', () => {
    const a = seededRandom(5);
    const b = seededRandom(5);
    for (let k = 0; k < 10; k++) assert.equal(a(), b());
  });
});
