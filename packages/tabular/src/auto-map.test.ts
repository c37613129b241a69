import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoMapHeaders, normalizeHeader, type TargetField } from './auto-map.ts';

const TARGETS: TargetField[] = [
  { key: 'family_name', label: 'Family name', synonyms: ['surname', 'last name', 'nom', 'nom de famille', 'apellido', 'apellidos', 'اسم العائلة', 'الكنية'], required: true },
  { key: 'given_name', label: 'Given name', synonyms: ['first name', 'prénom', 'nombre', 'الاسم', 'الاسم الأول'], required: true },
  { key: 'date_of_birth', label: 'Date of birth', synonyms: ['dob', 'birth date', 'date de naissance', 'fecha de nacimiento', 'تاريخ الميلاد'] },
  { key: 'phone', label: 'Phone', synonyms: ['telephone', 'téléphone', 'mobile', 'teléfono', 'الهاتف'] },
];

describe('normalizeHeader', () => {
  const cases: [string, string][] = [
    ['Family Name', 'familyname'],
    ['FAMILY_NAME', 'familyname'],
    ['  nom-de-famille ', 'nomdefamille'],
    ['Prénom', 'prenom'],
    ['Teléfono', 'telefono'],
    ['الأسم', 'الاسم'],
    ['الاسـم', 'الاسم'],
    ['المدينةُ', 'المدينه'],
    ['Ｎａｍｅ', 'name'],
  ];
  for (const [input, expected] of cases) it(`${input} → ${expected}`, () => assert.equal(normalizeHeader(input), expected));
});

describe('autoMapHeaders', () => {
  it('matches keys, labels and synonyms in any case, spacing, accents or punctuation', () => {
    const result = autoMapHeaders(['SURNAME', 'First-Name', 'Date of Birth', 'Tél', 'Remarks'], TARGETS);
    assert.deepEqual(result, {
      mapping: { family_name: 'SURNAME', given_name: 'First-Name', date_of_birth: 'Date of Birth', phone: null },
      unmatched: ['Tél', 'Remarks'],
      missingRequired: [],
    });
  });

  it('matches French, Spanish and Arabic headers', () => {
    assert.deepEqual(autoMapHeaders(['Nom', 'Prénom', 'Téléphone'], TARGETS).mapping, {
      family_name: 'Nom',
      given_name: 'Prénom',
      date_of_birth: null,
      phone: 'Téléphone',
    });
    assert.deepEqual(autoMapHeaders(['Apellidos', 'Nombre', 'Fecha de nacimiento'], TARGETS).mapping.date_of_birth, 'Fecha de nacimiento');
    const arabic = autoMapHeaders(['الأسم', 'اسم العائلة', 'تاريخ الميلاد', 'الهاتف'], TARGETS);
    assert.deepEqual(arabic.mapping, { family_name: 'اسم العائلة', given_name: 'الأسم', date_of_birth: 'تاريخ الميلاد', phone: 'الهاتف' });
  });

  it('matches a header with an explanation in brackets, after exact matches', () => {
    const result = autoMapHeaders(['Date of birth (dd/mm/yyyy)', 'family name [as in passport]'], TARGETS);
    assert.equal(result.mapping.date_of_birth, 'Date of birth (dd/mm/yyyy)');
    assert.equal(result.mapping.family_name, 'family name [as in passport]');
  });

  it('uses each column once, preferring a label match over a synonym match', () => {
    const targets: TargetField[] = [
      { key: 'full_name', label: 'Full name', synonyms: ['name'] },
      { key: 'name', label: 'Name' },
    ];
    assert.deepEqual(autoMapHeaders(['Name'], targets).mapping, { full_name: null, name: 'Name' });
  });

  it('reports required targets left without a column, and every unused column', () => {
    const result = autoMapHeaders(['Phone', 'Email', 'Email 2'], TARGETS);
    assert.deepEqual(result.missingRequired, ['family_name', 'given_name']);
    assert.deepEqual(result.unmatched, ['Email', 'Email 2']);
  });
});
