/**
 * Matching the columns of an uploaded file to the fields an import expects, so the mapping screen
 * starts filled in. Pure; no I/O.
 */

/** A field the import can fill. `synonyms` are other headers people use for it, in any language. */
export interface TargetField {
  key: string;
  label: string;
  synonyms?: string[];
  required?: boolean;
}

/** The proposed mapping: target key → source column (or null), source columns left over, required targets without a column. */
export interface HeaderMapping {
  mapping: Record<string, string | null>;
  unmatched: string[];
  missingRequired: string[];
}

/**
 * A header reduced to what identifies it: compatibility forms folded (NFKD), accents and other
 * combining marks (also Arabic short vowels) dropped, lower case, only letters and digits kept.
 * Arabic spelling variants are folded too: hamza-carrying alefs to alef, alef maqsura to yeh, teh
 * marbuta to heh, tatweel removed. "Nom de famille", "NOM_DE_FAMILLE" and "nom-de-famille" meet;
 * so do "الأسم" and "الاسم".
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
    .replace(/\u0649/g, '\u064a')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u0640/g, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** The header without explanations in brackets: "Date of birth (dd/mm/yyyy)" → "Date of birth". */
const withoutBrackets = (text: string): string => text.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ');

/**
 * Proposes which column fills which target. A column is used at most once, targets in the order
 * given. Three passes, each only over what is still free, so a closer match is never taken away by
 * a looser one: (1) the target's key or label, (2) its synonyms, (3) both again against the column
 * name without its bracketed part. Matching is exact after `normalizeHeader`: no guessing on
 * partial words, so a proposal is always one a person would make.
 */
export function autoMapHeaders(columns: string[], targets: TargetField[]): HeaderMapping {
  const mapping: Record<string, string | null> = Object.fromEntries(targets.map((t) => [t.key, null]));
  const used = new Set<number>();
  const names = (t: TargetField, pass: number) =>
    new Set((pass === 0 ? [t.key, t.label] : pass === 1 ? (t.synonyms ?? []) : [t.key, t.label, ...(t.synonyms ?? [])]).map(normalizeHeader).filter((n) => n !== ''));
  const columnForms = [columns.map(normalizeHeader), columns.map(normalizeHeader), columns.map((c) => normalizeHeader(withoutBrackets(c)))];
  for (let pass = 0; pass < 3; pass++) {
    const forms = columnForms[pass]!;
    for (const target of targets) {
      if (mapping[target.key] !== null) continue;
      const wanted = names(target, pass);
      const index = forms.findIndex((form, i) => !used.has(i) && form !== '' && wanted.has(form));
      if (index !== -1) {
        used.add(index);
        mapping[target.key] = columns[index]!;
      }
    }
  }
  return {
    mapping,
    unmatched: columns.filter((_, i) => !used.has(i)),
    missingRequired: targets.filter((t) => t.required === true && mapping[t.key] === null).map((t) => t.key),
  };
}
