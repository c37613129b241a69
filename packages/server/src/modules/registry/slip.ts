/**
 * The registration slip: a one-page PDF handed to a registered person, rendered with pdfmake on the
 * server. Pure apart from reading three bundled font families from node_modules; no database, no
 * clock (the PDF's own CreationDate aside).
 *
 * Fonts. pdfmake/pdfkit need real font files for every script a name may be written in. We use the
 * complete Google Fonts builds that the `@expo-google-fonts/*` npm packages ship as plain TTF (fonts
 * under the SIL Open Font License 1.1, package code MIT):
 *   - Noto Sans              — Latin (incl. extended + Vietnamese), Cyrillic, Greek
 *   - IBM Plex Sans Arabic   — Arabic (also Persian, Urdu letters)
 *   - Noto Sans Ethiopic     — Ge'ez (Amharic, Tigrinya, …)
 * Why not Noto Naskh/Sans Arabic: they build dotted letters from a dotless skeleton plus separate dot
 * glyphs, and pdfkit writes one ToUnicode entry per glyph, so the text layer (copy, search, screen
 * readers) comes out with wrong letters (ي read back as ت, …). Plex Sans Arabic has a glyph per
 * letter form, so the text layer stays right; it also sits well beside Noto Sans.
 * Why not `@fontsource/*`: fontkit reads their WOFF/WOFF2 fine, but they split each family into
 * unicode-range subsets, so a name mixing basic Latin with "ễ" or "ł" would need several fonts per
 * word and lose kerning and mark positioning across them.
 * pdfkit embeds only the glyphs used, and pdfmake loads a family only when some text uses it, so a
 * Latin-only slip carries only Noto Sans.
 *
 * Scripts and direction. Every string goes through `visualRuns`, which splits it into runs of one
 * font (by Unicode script) and puts them in *visual* (left-to-right drawing) order:
 *   - pdfkit hands each space-separated word to fontkit, which shapes Arabic (joining forms,
 *     ligatures, marks) and, for a run in an RTL script, returns its glyphs already reversed into
 *     visual order. But nothing reorders *between* words or runs: pdfmake and pdfkit lay words out
 *     left to right in logical order, so "محمد حسن" would come out with محمد on the left — the words of
 *     the name in reverse order.
 *   - So we run the Unicode Bidirectional Algorithm (bidi-js: embedding levels, rule L2 reordering,
 *     mirrored brackets) at the level of *atoms* — words, spaces, brackets, each of one level and one
 *     font — and leave the characters inside an atom in logical order, because fontkit reverses an
 *     RTL-script atom itself (reversing the characters ourselves would break the shaping: an initial
 *     form would become a final one).
 *   - Where fontkit's choice and the bidi level disagree we pre-reverse the atom so the two cancel:
 *     Arabic-Indic digits (Arabic script, so fontkit reverses them, but they read left to right) and
 *     neutral punctuation at an odd level (bidi says reverse, fontkit does not). fontkit does not
 *     mirror brackets either, so brackets are atoms of their own and are mirrored here.
 *   - Atoms that need their order kept are `noWrap` inlines, so pdfmake's line breaker cannot split
 *     them. Limitation: reordering happens before pdfmake breaks lines, so an RTL value that wraps
 *     onto a second line would put its logical start on the lower line; the columns are sized so that
 *     names do not wrap in practice.
 *   - The text layer therefore holds RTL text in visual order, as most PDF producers write it; PDF
 *     readers reorder it when text is copied or extracted (checked with poppler's pdftotext, which
 *     gives the Arabic names back in logical order). One known flaw: a ligature glyph standing for
 *     two letters (lam-alef, and Plex's required ligatures such as ضر and في) maps to both letters in
 *     logical order, which an extractor reversing the line then flips. The rendering is unaffected.
 */
import { createRequire } from 'node:module';
import bidiFactory from 'bidi-js';
import pdfmake from 'pdfmake';
import type { Alignment, Content, TableCell } from 'pdfmake';
import type { Column, ContentQr, ContentStack, ContentText, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces';

export type SlipLanguage = 'en' | 'fr' | 'es' | 'ar';

export interface SlipData {
  registrationId: string;
  officeName: string;
  /** YYYY-MM-DD */
  registeredOn: string;
  person: {
    givenName: string;
    middleName: string | null;
    familyName: string | null;
    fullNameOriginal: string | null;
    sex: string;
    /** YYYY-MM-DD (the parts beyond `dobPrecision` are not shown). */
    dateOfBirth: string | null;
    dobPrecision: string;
    /** Shown as given (an ISO 3166-1 alpha-3 code or a name). */
    nationality: string | null;
  };
  household: { registrationId: string; name: string; nameOriginal: string | null; relationship: string; age: number | null }[];
  /** The language of the labels. */
  language: SlipLanguage;
  /** Demo data: the slip carries a banner and a diagonal watermark saying so. */
  demo: boolean;
}

// ---------------------------------------------------------------------------------------------
// Labels

type LabelKey =
  | 'title'
  | 'office'
  | 'registeredOn'
  | 'registrationId'
  | 'nameLatin'
  | 'nameOriginal'
  | 'sex'
  | 'dateOfBirth'
  | 'nationality'
  | 'household'
  | 'name'
  | 'relationship'
  | 'age'
  | 'noHousehold'
  | 'precisionYear'
  | 'precisionMonth'
  | 'precisionEstimated'
  | 'demo'
  | 'keep';

const LABELS: Record<SlipLanguage, Record<LabelKey, string>> = {
  en: {
    title: 'Registration slip',
    office: 'Office',
    registeredOn: 'Registered on',
    registrationId: 'Registration ID',
    nameLatin: 'Name (Latin script)',
    nameOriginal: 'Name (original script)',
    sex: 'Sex',
    dateOfBirth: 'Date of birth',
    nationality: 'Nationality',
    household: 'Household members',
    name: 'Name',
    relationship: 'Relationship',
    age: 'Age',
    noHousehold: 'No other household members.',
    precisionYear: '(year only)',
    precisionMonth: '(month and year only)',
    precisionEstimated: '(estimated)',
    demo: 'DEMO DATA — NOT A REAL REGISTRATION',
    keep: 'Keep this slip and bring it to every visit.',
  },
  fr: {
    title: "Fiche d'enregistrement",
    office: 'Bureau',
    registeredOn: 'Enregistré le',
    registrationId: "Numéro d'enregistrement",
    nameLatin: 'Nom (alphabet latin)',
    nameOriginal: "Nom (écriture d'origine)",
    sex: 'Sexe',
    dateOfBirth: 'Date de naissance',
    nationality: 'Nationalité',
    household: 'Membres du ménage',
    name: 'Nom',
    relationship: 'Lien',
    age: 'Âge',
    noHousehold: 'Aucun autre membre du ménage.',
    precisionYear: '(année seulement)',
    precisionMonth: '(mois et année seulement)',
    precisionEstimated: '(estimée)',
    demo: 'DONNÉES DE DÉMONSTRATION — PAS UN VRAI ENREGISTREMENT',
    keep: 'Conservez cette fiche et présentez-la à chaque visite.',
  },
  es: {
    title: 'Comprobante de registro',
    office: 'Oficina',
    registeredOn: 'Registrado el',
    registrationId: 'Número de registro',
    nameLatin: 'Nombre (alfabeto latino)',
    nameOriginal: 'Nombre (escritura original)',
    sex: 'Sexo',
    dateOfBirth: 'Fecha de nacimiento',
    nationality: 'Nacionalidad',
    household: 'Miembros del hogar',
    name: 'Nombre',
    relationship: 'Parentesco',
    age: 'Edad',
    noHousehold: 'Ningún otro miembro del hogar.',
    precisionYear: '(solo el año)',
    precisionMonth: '(solo mes y año)',
    precisionEstimated: '(estimada)',
    demo: 'DATOS DE DEMOSTRACIÓN — NO ES UN REGISTRO REAL',
    keep: 'Conserve este comprobante y preséntelo en cada visita.',
  },
  ar: {
    title: 'إيصال التسجيل',
    office: 'المكتب',
    registeredOn: 'تاريخ التسجيل',
    registrationId: 'رقم التسجيل',
    nameLatin: 'الاسم (بالحروف اللاتينية)',
    nameOriginal: 'الاسم (بالكتابة الأصلية)',
    sex: 'الجنس',
    dateOfBirth: 'تاريخ الميلاد',
    nationality: 'الجنسية',
    household: 'أفراد الأسرة',
    name: 'الاسم',
    relationship: 'صلة القرابة',
    age: 'العمر',
    noHousehold: 'لا يوجد أفراد آخرون في الأسرة.',
    precisionYear: '(السنة فقط)',
    precisionMonth: '(الشهر والسنة فقط)',
    precisionEstimated: '(تقديري)',
    demo: 'بيانات تجريبية — ليس تسجيلاً حقيقياً',
    keep: 'احتفظ بهذا الإيصال وأحضره في كل زيارة.',
  },
};

/** Coded values; anything not listed is shown as given. */
const VALUES: Record<SlipLanguage, Record<string, string>> = {
  en: {
    female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown',
    head: 'Head of household', spouse: 'Spouse', child: 'Child', parent: 'Parent', sibling: 'Sibling',
    grandchild: 'Grandchild', grandparent: 'Grandparent', other_relative: 'Other relative', unrelated: 'Not related',
  },
  fr: {
    female: 'Femme', male: 'Homme', other: 'Autre', unknown: 'Inconnu',
    head: 'Chef de ménage', spouse: 'Conjoint(e)', child: 'Enfant', parent: 'Parent', sibling: 'Frère ou sœur',
    grandchild: 'Petit-enfant', grandparent: 'Grand-parent', other_relative: 'Autre parent', unrelated: 'Sans lien de parenté',
  },
  es: {
    female: 'Mujer', male: 'Hombre', other: 'Otro', unknown: 'Desconocido',
    head: 'Jefe/a de hogar', spouse: 'Cónyuge', child: 'Hijo/a', parent: 'Padre o madre', sibling: 'Hermano/a',
    grandchild: 'Nieto/a', grandparent: 'Abuelo/a', other_relative: 'Otro familiar', unrelated: 'Sin parentesco',
  },
  ar: {
    female: 'أنثى', male: 'ذكر', other: 'آخر', unknown: 'غير معروف',
    head: 'رب الأسرة', spouse: 'الزوج/الزوجة', child: 'ابن/ابنة', parent: 'أحد الوالدين', sibling: 'أخ/أخت',
    grandchild: 'حفيد/حفيدة', grandparent: 'جد/جدة', other_relative: 'قريب آخر', unrelated: 'لا توجد صلة قرابة',
  },
};

/** The English demo marking, always on a demo slip whatever the label language. */
export const DEMO_MARK = LABELS.en.demo;

// ---------------------------------------------------------------------------------------------
// Fonts

export type SlipFont = 'Sans' | 'Arabic' | 'Ethiopic';

const require = createRequire(import.meta.url);
const fontFile = (pkg: string, weight: string, file: string): string => require.resolve(`@expo-google-fonts/${pkg}/${weight}/${file}`);

const FONT_FILES: Record<SlipFont, { normal: string; bold: string }> = {
  Sans: {
    normal: fontFile('noto-sans', '400Regular', 'NotoSans_400Regular.ttf'),
    bold: fontFile('noto-sans', '700Bold', 'NotoSans_700Bold.ttf'),
  },
  Arabic: {
    normal: fontFile('ibm-plex-sans-arabic', '400Regular', 'IBMPlexSansArabic_400Regular.ttf'),
    bold: fontFile('ibm-plex-sans-arabic', '700Bold', 'IBMPlexSansArabic_700Bold.ttf'),
  },
  Ethiopic: {
    normal: fontFile('noto-sans-ethiopic', '400Regular', 'NotoSansEthiopic_400Regular.ttf'),
    bold: fontFile('noto-sans-ethiopic', '700Bold', 'NotoSansEthiopic_700Bold.ttf'),
  },
};
const ALLOWED_FILES = new Set(Object.values(FONT_FILES).flatMap((f) => [f.normal, f.bold]));

/** A fresh dictionary per document: pdfmake rewrites the entries it is given while resolving them. */
function fontDictionary(): TFontDictionary {
  const dict: TFontDictionary = {};
  for (const [name, f] of Object.entries(FONT_FILES)) {
    // No italics on the slip; map them to upright so a stray style cannot fail the render.
    dict[name] = { normal: f.normal, bold: f.bold, italics: f.normal, bolditalics: f.bold };
  }
  return dict;
}

// ---------------------------------------------------------------------------------------------
// Scripts and bidi

const bidi = bidiFactory();

const ARABIC = /\p{Script=Arabic}/u;
const ETHIOPIC = /\p{Script=Ethiopic}/u;
const STRONG = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;
/** A character with a script of its own (what fontkit uses to pick a run's script and direction). */
const SCRIPTED = /[^\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;
/** Scripts fontkit lays out right to left (reversing the glyphs of a run itself). */
const RTL_SCRIPT = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}]/u;
/** Anything that can make a string need the bidi algorithm: RTL letters, Arabic digits, explicit marks. */
const NEEDS_BIDI = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\u200f\u202b\u202e\u2067\u2068]/u;

/** The font for a character; null for one that takes its neighbours' (spaces, punctuation, marks). */
function scriptFont(ch: string): SlipFont | null {
  if (ARABIC.test(ch)) return 'Arabic';
  if (ETHIOPIC.test(ch)) return 'Ethiopic';
  if (STRONG.test(ch)) return 'Sans';
  return null;
}

/** One piece of text to draw, in visual order, with the characters as fontkit must receive them. */
export interface VisualRun {
  text: string;
  font: SlipFont;
  /** True when the run must not be split by the line breaker (its order was fixed here). */
  noWrap: boolean;
}

interface Atom {
  chars: string[];
  level: number;
  kind: 'space' | 'bracket' | 'word';
  font: SlipFont | null;
}

/** Split a string into runs of one font, left to right, without reordering (no RTL content). */
function fontRuns(text: string): VisualRun[] {
  const runs: VisualRun[] = [];
  let current: SlipFont | null = null;
  let buf = '';
  for (const ch of text) {
    const f: SlipFont = scriptFont(ch) ?? current ?? 'Sans';
    if (f !== current && buf !== '') {
      runs.push({ text: buf, font: current ?? 'Sans', noWrap: false });
      buf = '';
    }
    current = f;
    buf += ch;
  }
  if (buf !== '') runs.push({ text: buf, font: current ?? 'Sans', noWrap: false });
  return runs;
}

/**
 * Text → runs in visual order for pdfmake. `base` is the paragraph direction: 'auto' takes it from
 * the first strong character (UAX #9 P2/P3). See the comment at the top of this file.
 */
export function visualRuns(text: string, base: 'ltr' | 'rtl' | 'auto' = 'auto'): VisualRun[] {
  const s = text.replace(/\s+/gu, ' ').trim();
  if (s === '') return [];
  if (!NEEDS_BIDI.test(s) && base !== 'rtl') return fontRuns(s);

  const { levels } = bidi.getEmbeddingLevels(s, base);

  // 1. Atoms in logical order: words split at level and font changes; spaces and brackets alone.
  const atoms: Atom[] = [];
  let offset = 0;
  for (const ch of s) {
    const level = levels[offset] ?? 0;
    offset += ch.length;
    const kind: Atom['kind'] = SPACE.test(ch) ? 'space' : bidi.getMirroredCharacter(ch) !== null ? 'bracket' : 'word';
    const font = kind === 'word' ? scriptFont(ch) : null;
    const last = atoms.at(-1);
    if (
      last !== undefined &&
      kind !== 'bracket' &&
      last.kind === kind &&
      last.level === level &&
      (font === null || last.font === null || font === last.font)
    ) {
      last.chars.push(ch);
      last.font ??= font;
    } else {
      atoms.push({ chars: [ch], level, kind, font });
    }
  }
  // Neutral-only atoms (punctuation, spaces) take the font of the nearest word; Noto Sans otherwise.
  atoms.forEach((a, i) => {
    if (a.font !== null) return;
    const before = atoms.slice(0, i).reverse().find((b) => b.font !== null);
    const after = atoms.slice(i + 1).find((b) => b.font !== null);
    a.font = a.kind === 'word' ? (before?.font ?? after?.font ?? 'Sans') : 'Sans';
  });

  // 2. Rule L2 on atoms: from the highest level down to the lowest odd level, reverse every
  //    maximal sequence of atoms at that level or higher.
  const order = atoms.map((_, i) => i);
  const maxLevel = Math.max(...atoms.map((a) => a.level));
  const minOdd = Math.min(...atoms.map((a) => (a.level % 2 === 1 ? a.level : a.level + 1)));
  for (let lvl = maxLevel; lvl >= minOdd; lvl--) {
    for (let i = 0; i < order.length; ) {
      if (atoms[order[i]!]!.level < lvl) {
        i++;
        continue;
      }
      let j = i;
      while (j < order.length && atoms[order[j]!]!.level >= lvl) j++;
      const reversed = order.slice(i, j).reverse();
      order.splice(i, j - i, ...reversed);
      i = j;
    }
  }

  // 3. Characters inside each atom as fontkit must get them, then merge plain neighbours.
  const runs: (VisualRun & { logical: number })[] = [];
  for (const idx of order) {
    const a = atoms[idx]!;
    const odd = a.level % 2 === 1;
    let chars = odd && a.kind === 'bracket' ? a.chars.map((c) => bidi.getMirroredCharacter(c) ?? c) : a.chars;
    const firstScripted = chars.find((c) => SCRIPTED.test(c));
    const fontkitReverses = firstScripted !== undefined && RTL_SCRIPT.test(firstScripted);
    if (odd !== fontkitReverses) chars = [...chars].reverse();
    const run = { text: chars.join(''), font: a.font ?? 'Sans', noWrap: odd || fontkitReverses, logical: idx };
    const prev = runs.at(-1);
    if (prev && !prev.noWrap && !run.noWrap && prev.font === run.font && prev.logical === idx - 1) {
      prev.text += run.text;
      prev.logical = idx;
    } else {
      runs.push(run);
    }
  }
  return runs.map(({ text: t, font, noWrap }) => ({ text: t, font, noWrap }));
}

// ---------------------------------------------------------------------------------------------
// The document

const DASH = '—';
const BASE_SIZE = 11;

interface TextOpts {
  bold?: boolean;
  fontSize?: number;
  color?: string;
  alignment?: Alignment;
  base?: 'ltr' | 'rtl' | 'auto';
  margin?: [number, number, number, number];
}

/** A pdfmake text node for any string, in any script. */
function txt(value: string, opts: TextOpts = {}): ContentText {
  const runs = visualRuns(value, opts.base ?? 'auto');
  const node: ContentText = {
    text: runs.length === 0 ? '' : runs.map((r) => (r.noWrap ? { text: r.text, font: r.font, noWrap: true } : { text: r.text, font: r.font })),
  };
  if (opts.bold) node.bold = true;
  if (opts.fontSize !== undefined) node.fontSize = opts.fontSize;
  if (opts.color !== undefined) node.color = opts.color;
  if (opts.alignment !== undefined) node.alignment = opts.alignment;
  if (opts.margin !== undefined) node.margin = opts.margin;
  return node;
}

function latinName(p: SlipData['person']): string {
  return [p.givenName, p.middleName, p.familyName].filter((x): x is string => !!x && x.trim() !== '').join(' ');
}

function dateOfBirth(p: SlipData['person'], l: Record<LabelKey, string>): string {
  if (!p.dateOfBirth) return DASH;
  switch (p.dobPrecision) {
    case 'year':
      return `${p.dateOfBirth.slice(0, 4)} ${l.precisionYear}`;
    case 'month':
      return `${p.dateOfBirth.slice(0, 7)} ${l.precisionMonth}`;
    case 'estimated':
      return `${p.dateOfBirth} ${l.precisionEstimated}`;
    default:
      return p.dateOfBirth;
  }
}

const INK = '#1a1a1a';
const MUTED = '#555555';
const RULE = '#9a9a9a';

/**
 * The pdfmake document definition for a slip (exported for tests: the QR node carries the
 * registration id).
 */
export function buildSlipDocument(data: SlipData): TDocumentDefinitions {
  const l = LABELS[data.language];
  const v = VALUES[data.language];
  const rtl = data.language === 'ar';
  const dir = rtl ? 'rtl' : 'ltr';
  const start: Alignment = rtl ? 'right' : 'left';
  const end: Alignment = rtl ? 'left' : 'right';
  /** Mirror a row of columns for a right-to-left layout. */
  const row = <T>(cells: T[]): T[] => (rtl ? [...cells].reverse() : cells);
  const label = (key: LabelKey, extra: TextOpts = {}): ContentText => txt(l[key], { base: dir, alignment: start, color: MUTED, fontSize: 9, ...extra });
  const value = (s: string | null | undefined, extra: TextOpts = {}): ContentText =>
    txt(s && s.trim() !== '' ? s : DASH, { alignment: start, fontSize: 11, ...extra });
  const coded = (s: string): string => v[s] ?? s;

  const details: TableCell[][] = [
    row([label('nameLatin'), value(latinName(data.person), { bold: true, fontSize: 13 })]),
    row([label('nameOriginal'), value(data.person.fullNameOriginal, { bold: true, fontSize: 13 })]),
    row([label('sex'), value(coded(data.person.sex), { base: dir })]),
    row([label('dateOfBirth'), value(dateOfBirth(data.person, l), { base: dir })]),
    row([label('nationality'), value(data.person.nationality)]),
  ];

  const householdHeader = row([label('registrationId'), label('name'), label('nameOriginal'), label('relationship'), label('age')]);
  const householdRows: TableCell[][] = data.household.map((m) =>
    row([
      value(m.registrationId, { fontSize: 10 }),
      value(m.name, { fontSize: 10 }),
      value(m.nameOriginal, { fontSize: 10 }),
      value(coded(m.relationship), { fontSize: 10, base: dir }),
      value(m.age === null ? null : String(m.age), { fontSize: 10 }),
    ]),
  );

  const idBlock: ContentStack = {
    stack: [
      label('registrationId', { fontSize: 10 }),
      txt(data.registrationId, { bold: true, fontSize: 26, alignment: start, color: INK, margin: [0, 2, 0, 6] }),
      label('office', { fontSize: 9 }),
      value(data.officeName, { fontSize: 11, margin: [0, 0, 0, 4] }),
      label('registeredOn', { fontSize: 9 }),
      value(data.registeredOn, { fontSize: 11 }),
    ],
  };
  const qr: ContentQr = { qr: data.registrationId, fit: 100, eccLevel: 'M', padding: 2, alignment: end };

  const content: Content[] = [];
  if (data.demo) {
    const banner = data.language === 'en' ? [DEMO_MARK] : [DEMO_MARK, l.demo];
    content.push({
      table: {
        widths: ['*'],
        body: [[{ stack: banner.map((b) => txt(b, { bold: true, color: '#ffffff', fontSize: 11, alignment: 'center', base: b === DEMO_MARK ? 'ltr' : dir })), fillColor: '#b00020' }]],
      },
      layout: 'noBorders',
      margin: [0, 0, 0, 12],
    });
  }
  content.push(
    txt(l.title, { base: dir, bold: true, fontSize: 20, alignment: start, margin: [0, 0, 0, 10] }),
    {
      columns: row<Column>([
        { ...idBlock, width: '*' },
        { ...qr, width: 'auto' },
      ]),
      columnGap: 16,
      margin: [0, 0, 0, 14],
    },
    {
      table: { widths: row(['auto', '*']), body: details },
      layout: {
        hLineWidth: () => 0.5,
        vLineWidth: () => 0,
        hLineColor: () => RULE,
        paddingTop: () => 5,
        paddingBottom: () => 5,
        paddingLeft: () => 6,
        paddingRight: () => 6,
      },
      margin: [0, 0, 0, 16],
    },
    txt(l.household, { base: dir, bold: true, fontSize: 13, alignment: start, margin: [0, 0, 0, 6] }),
  );
  if (data.household.length === 0) {
    content.push(txt(l.noHousehold, { base: dir, alignment: start, fontSize: 10, color: MUTED }));
  } else {
    content.push({
      table: {
        headerRows: 1,
        widths: row<string | number>([104, '*', '*', 'auto', 28]),
        body: [householdHeader, ...householdRows],
      },
      layout: {
        hLineWidth: (i: number) => (i === 1 ? 1 : 0.5),
        vLineWidth: () => 0,
        hLineColor: () => RULE,
        paddingTop: () => 4,
        paddingBottom: () => 4,
        paddingLeft: () => 3,
        paddingRight: () => 3,
      },
    });
  }
  content.push(txt(l.keep, { base: dir, alignment: start, fontSize: 9, color: MUTED, margin: [0, 18, 0, 0] }));

  return {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    language: data.language,
    info: { title: `${l.title} ${data.registrationId}`, creator: 'Passage', producer: 'Passage (pdfmake)' },
    defaultStyle: { font: 'Sans', fontSize: BASE_SIZE, color: INK, lineHeight: 1.15 },
    ...(data.demo ? { watermark: { text: DEMO_MARK, color: '#b00020', opacity: 0.1, bold: true, font: 'Sans' } } : {}),
    content,
  };
}

/** Render a registration slip to PDF bytes. */
export async function renderRegistrationSlip(data: SlipData): Promise<Buffer> {
  const doc = buildSlipDocument(data);
  // pdfmake 0.3's server API is one shared instance. Fonts and access policies are read when
  // createPdf() builds its printer, synchronously, so setting them right before it cannot race with
  // another caller. Only our own font files may be read, and nothing may be fetched.
  pdfmake.setFonts(fontDictionary());
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => ALLOWED_FILES.has(path));
  return pdfmake.createPdf(doc).getBuffer();
}
