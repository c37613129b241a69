export { detectScript, type Script } from './script.ts';
export { normaliseName, nameTokens } from './normalise.ts';
export { canonicalToken } from './canonical.ts';
export { skeleton } from './skeleton.ts';
export { namePair, nameKeys, searchText } from './keys.ts';

// The matching engine (scoring, blocking, clustering): see README.md, "The matching engine".
export { type MatchRecord, parseDateOfBirth, parseSex, parseNationality, documentKey, phoneKey, type ParsedDate } from './engine/record.ts';
export { prepareRecords, TableBuilder } from './engine/prepare.ts';
export { type TableData, type PreparedTable, recordNames } from './engine/table.ts';
export { Comparer, FIELD_NAMES, FIELD_LEVELS, type FieldName } from './engine/compare.ts';
export {
  Scorer,
  termFrequencies,
  defaultParams,
  paramsToJSON,
  paramsFromJSON,
  probabilityOf,
  weightOf,
  type ModelParams,
  type FieldParams,
  type Explanation,
  type FieldContribution,
  type TermFrequencies,
} from './engine/model.ts';
export { trainParams, type TrainOptions, type TrainReport } from './engine/train.ts';
export { buildBlocking, blockingRecall, DEFAULT_RULES, BUILT_IN_RULES, type Blocking, type BlockingOptions, type BlockingRule, type BuiltInRule, type RuleReport } from './engine/blocking.ts';
export { clusterPairs, type ClusterOptions, type ClusterResult, type ReviewPair } from './engine/cluster.ts';
export { refineWithLabels, type ReviewLabel, type RefineResult } from './engine/learn.ts';
export { learningCurve, type LearningPoint } from './engine/learning-curve.ts';
export { dedupe, type DedupeOptions, type DedupeResult, type DedupeProgress, type DedupeStage } from './engine/dedupe.ts';
export { linkLists, type Link, type LinkOptions, type LinkResult } from './engine/link.ts';
export { MatchIndex, type MatchIndexOptions, type MatchQueryOptions, type MatchQueryResult, type MatchCandidate, type CappedBlock } from './engine/index-store.ts';
export { Watchlist, nameScore, type WatchlistEntry, type ScreenHit, type ScreenQuery } from './engine/screen.ts';
export { clusterQuality, pairQuality, linkQuality, countTruePairs, type Quality } from './engine/evaluate.ts';
export { generateSynthetic, type SyntheticData, type SyntheticOptions } from './engine/synthetic.ts';
export { jaroWinkler, withinOneEdit } from './engine/strings.ts';
export { type ScoredPairs } from './engine/score-pairs.ts';
export { priorParams, estimatePriorParams } from './engine/prior-model.ts';
