export { detectScript, type Script } from './script.ts';
export { normaliseName, nameTokens } from './normalise.ts';
export { canonicalToken } from './canonical.ts';
export { skeleton } from './skeleton.ts';
export { nameKeys, searchText } from './keys.ts';
