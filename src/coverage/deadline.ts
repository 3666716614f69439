// When a yearly report is due (FORMAT.md §1, 条例第四十九、五十条 and the State Council's yearly notices),
// and how late a publication date is. Pure: plain values in, plain values out.
//
// Who falls under which deadline, all dates in the year after the report year:
// - 31 January: departments (政府部门, at every level, 国务院部门 included), general offices, vertical bodies,
//   authorized organizations, `other` bodies, and everything at township level (乡镇、街道);
// - a summary of an area — an `aggregate` report — is due by its level's date: county 20 February,
//   prefecture (设区的市) 10 March, province 31 March, national 31 March;
// - a 人民政府's `own` report takes its level's summary date too. The regulation names one report for a
//   government (本级政府年度报告, due 31 March, brought forward per level by the notices); a government that
//   publishes its own work separately does so with, not before, that summary, so holding it to the
//   departments' 31 January would mark nearly every such report late. A township government is at township
//   level and so due 31 January.
import type { Kind, Level, Scope } from '../format/registry.js'

export type DeadlineBasis = 'department' | 'county' | 'prefectural' | 'provincial' | 'national'

export interface DeadlineSubject {
  level: Level
  kind: Kind
  scope: Scope
}

/** Month and day in the year after the report year, per basis. */
export const DEADLINES: Readonly<Record<DeadlineBasis, { month: number; day: number; label: string }>> = {
  department: { month: 1, day: 31, label: '部门、乡镇（街道）：次年1月31日前' },
  county: { month: 2, day: 20, label: '县级政府汇总：次年2月20日前' },
  prefectural: { month: 3, day: 10, label: '设区的市级政府汇总：次年3月10日前' },
  provincial: { month: 3, day: 31, label: '省级政府汇总：次年3月31日前' },
  national: { month: 3, day: 31, label: '全国汇总：次年3月31日前' }
}

/** Which deadline a report of this agency and scope falls under. */
export function deadlineBasisOf(subject: DeadlineSubject): DeadlineBasis {
  if (subject.level === 'township') return 'department'
  const summary = subject.scope === 'aggregate' || subject.kind === 'government'
  if (!summary) return 'department'
  return subject.level
}

/** The last day (YYYY-MM-DD) on which the report for `year` is on time. */
export function deadlineOf(subject: DeadlineSubject, year: number): string {
  const { month, day } = DEADLINES[deadlineBasisOf(subject)]
  return `${year + 1}-${pad(month)}-${pad(day)}`
}

export type Timeliness =
  | { status: 'onTime'; daysLate: 0 }
  | { status: 'late'; daysLate: number }
  | { status: 'unknownDate'; daysLate: null }

/** On time when published on or before the deadline; late by whole calendar days after it. */
export function timelinessOf(publishedAt: string | null, deadline: string): Timeliness {
  if (publishedAt === null) return { status: 'unknownDate', daysLate: null }
  const days = daysBetween(deadline, publishedAt)
  return days > 0 ? { status: 'late', daysLate: days } : { status: 'onTime', daysLate: 0 }
}

/**
 * The calendar date (YYYY-MM-DD) of a timestamp in China Standard Time (UTC+8, no daylight saving): a
 * report submitted at 2026-01-31T20:00Z was submitted on 1 February where its deadline runs.
 */
export function chinaDateOf(timestamp: string): string {
  const ms = Date.parse(timestamp)
  if (Number.isNaN(ms)) throw new RangeError(`${timestamp} is not a timestamp`)
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)
}

/** Calendar days from one YYYY-MM-DD date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return (dayNumber(to) - dayNumber(from)) / 86_400_000
}

function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) throw new RangeError(`${date} is not a YYYY-MM-DD date`)
  // UTC midnight: no time zone or daylight-saving shift can make a day 23 or 25 hours long
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
}

const pad = (n: number) => String(n).padStart(2, '0')
