// Aggregates and indicators over groups of reports (pure: plain data in, plain data out). See plan.ts for
// how a query becomes a plan, compose.ts for how sums become values, metrics.ts for what can be asked.
export {
  METRICS,
  METRIC_BY_CODE,
  REPORTS_METRIC,
  RATIO_UNIT,
  isFormatSpecific,
  type MetricDef,
  type MetricKind,
  type Term
} from './metrics.js'
export { INDICATORS, type IndicatorDef } from './indicators.js'
export {
  GROUP_KEYS,
  MAX_METRICS,
  parseGroupBy,
  parseMetrics,
  parseSort,
  planAggregate,
  type AggregateFilter,
  type AggregatePlan,
  type AggregateQuery,
  type GroupKey,
  type ParameterError,
  type Planned,
  type ScopeFilter,
  type SortTerm
} from './plan.js'
export {
  composeGroups,
  describeMetric,
  evaluateMetric,
  regionKeyName,
  type AggregateGroup,
  type CellTotal,
  type MetricInfo,
  type RawGroup
} from './compose.js'
export { MAX_ITEMS, formatsOfItems, itemsSignature, parseItems, type StatisticRow } from './statistics.js'
export { KEY_HEADERS, STATISTICS_COLUMNS, aggregateColumns, type Column } from './csv.js'
export {
  SHAPES,
  STATS,
  adcodeOf,
  difference,
  parseExtras,
  perReportPlan,
  previousYearPlan,
  withAdcodes,
  withPrevious,
  withRanks,
  withSpread,
  type DashboardGroup,
  type Extras,
  type ExtrasQuery,
  type Shape,
  type Spread,
  type Stat
} from './extras.js'
export { answerAggregate, type AggregateSource } from './answer.js'
export { flatRows, type ColumnType } from './csv.js'
