// An aggregate question answered whole: the groups, then — when asked — the adcodes of region keys, the
// previous year, ranks and the spread across reports. Each extra is one more question to the same source
// (the roll-up or the report cells), so everything a dashboard shows comes from one definition of sums.
import { composeGroups, type RawGroup } from './compose.js'
import {
  perReportPlan,
  previousYearPlan,
  withAdcodes,
  withPrevious,
  withRanks,
  withSpread,
  type DashboardGroup,
  type Extras
} from './extras.js'
import type { AggregatePlan } from './plan.js'

/** Where sums come from: the aggregate repository, synchronous or not. */
export type AggregateSource = (plan: AggregatePlan) => readonly RawGroup[] | Promise<readonly RawGroup[]>

export async function answerAggregate(plan: AggregatePlan, extras: Extras, source: AggregateSource): Promise<DashboardGroup[]> {
  // ranks are within the whole result: the first `limit` groups are cut after ranking
  const cutLater = extras.rank && plan.limit !== undefined
  const first = cutLater ? { ...plan, limit: undefined } : plan
  let groups = withAdcodes(plan, composeGroups(plan, await source(first)))
  if (extras.compare) {
    const earlier = previousYearPlan(plan)
    groups = withPrevious(plan, groups, composeGroups(earlier, await source(earlier)))
  }
  if (extras.rank) groups = withRanks(plan, groups)
  if (cutLater && groups.length > plan.limit!) groups = groups.slice(0, plan.limit)
  if (extras.stats.length) {
    const perReport = perReportPlan(plan)
    groups = withSpread(plan, extras.stats, groups, composeGroups(perReport, await source(perReport)))
  }
  return groups
}
