/**
 * SOQL date literals (TODAY, LAST_N_DAYS:n...) as ranges of time. "Each date literal represents a
 * range of time relative to the current day"; "to filter for results within the range, use the =
 * comparison operator; to filter for results on either side of the range, use > or <"
 * (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_dateformats.htm).
 * The range's start and end follow the locale and time zone of the querying user: the mock's user
 * is en_US (weeks start on Sunday) in UTC, and the mock org keeps the default fiscal year (the
 * calendar year, starting in January), so FISCAL literals equal the calendar ones. Days are
 * counted by the mock's clock (Date.now()).
 */

const DAY_MS = 86_400_000;

/** A range of time, start inclusive, end exclusive (epoch ms). */
export interface Range {
  readonly start: number;
  readonly end: number;
}

interface Today {
  readonly day: number;
  readonly week: number;
  readonly year: number;
  readonly month: number;
}

function today(now: number): Today {
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  const d = new Date(day);
  return { day, week: day - d.getUTCDay() * DAY_MS, year: d.getUTCFullYear(), month: d.getUTCMonth() };
}

/** `count` whole months starting `from` months after the current one (Date.UTC rolls over years). */
function months(t: Today, from: number, count: number): Range {
  return { start: Date.UTC(t.year, t.month + from, 1), end: Date.UTC(t.year, t.month + from + count, 1) };
}

function quarters(t: Today, from: number, count: number): Range {
  const first = t.month - (t.month % 3);
  return {
    start: Date.UTC(t.year, first + 3 * from, 1),
    end: Date.UTC(t.year, first + 3 * (from + count), 1),
  };
}

function years(t: Today, from: number, count: number): Range {
  return { start: Date.UTC(t.year + from, 0, 1), end: Date.UTC(t.year + from + count, 0, 1) };
}

function days(t: Today, from: number, count: number): Range {
  return { start: t.day + from * DAY_MS, end: t.day + (from + count) * DAY_MS };
}

function weeks(t: Today, from: number, count: number): Range {
  return { start: t.week + 7 * from * DAY_MS, end: t.week + 7 * (from + count) * DAY_MS };
}

// The ranges as the reference's table gives them. LAST_N_DAYS:n "starts with the current day and
// continues for the past n days ... LAST_N_DAYS:1 includes yesterday and today"; NEXT_N_DAYS:n
// starts on the next day; LAST_N_<unit>S:n are the n whole units before the current one and
// NEXT_N_<unit>S:n the n after it; N_<unit>S_AGO:n is the one unit n units back.
const FIXED: Readonly<Record<string, (t: Today) => Range>> = {
  YESTERDAY: (t) => days(t, -1, 1),
  TODAY: (t) => days(t, 0, 1),
  TOMORROW: (t) => days(t, 1, 1),
  LAST_WEEK: (t) => weeks(t, -1, 1),
  THIS_WEEK: (t) => weeks(t, 0, 1),
  NEXT_WEEK: (t) => weeks(t, 1, 1),
  LAST_MONTH: (t) => months(t, -1, 1),
  THIS_MONTH: (t) => months(t, 0, 1),
  NEXT_MONTH: (t) => months(t, 1, 1),
  LAST_90_DAYS: (t) => days(t, -90, 91),
  NEXT_90_DAYS: (t) => days(t, 1, 90),
  LAST_QUARTER: (t) => quarters(t, -1, 1),
  THIS_QUARTER: (t) => quarters(t, 0, 1),
  NEXT_QUARTER: (t) => quarters(t, 1, 1),
  LAST_YEAR: (t) => years(t, -1, 1),
  THIS_YEAR: (t) => years(t, 0, 1),
  NEXT_YEAR: (t) => years(t, 1, 1),
  LAST_FISCAL_QUARTER: (t) => quarters(t, -1, 1),
  THIS_FISCAL_QUARTER: (t) => quarters(t, 0, 1),
  NEXT_FISCAL_QUARTER: (t) => quarters(t, 1, 1),
  LAST_FISCAL_YEAR: (t) => years(t, -1, 1),
  THIS_FISCAL_YEAR: (t) => years(t, 0, 1),
  NEXT_FISCAL_YEAR: (t) => years(t, 1, 1),
};

const WITH_N: Readonly<Record<string, (t: Today, n: number) => Range>> = {
  LAST_N_DAYS: (t, n) => days(t, -n, n + 1),
  NEXT_N_DAYS: (t, n) => days(t, 1, n),
  N_DAYS_AGO: (t, n) => days(t, -n, 1),
  LAST_N_WEEKS: (t, n) => weeks(t, -n, n),
  NEXT_N_WEEKS: (t, n) => weeks(t, 1, n),
  N_WEEKS_AGO: (t, n) => weeks(t, -n, 1),
  LAST_N_MONTHS: (t, n) => months(t, -n, n),
  NEXT_N_MONTHS: (t, n) => months(t, 1, n),
  N_MONTHS_AGO: (t, n) => months(t, -n, 1),
  LAST_N_QUARTERS: (t, n) => quarters(t, -n, n),
  NEXT_N_QUARTERS: (t, n) => quarters(t, 1, n),
  N_QUARTERS_AGO: (t, n) => quarters(t, -n, 1),
  LAST_N_YEARS: (t, n) => years(t, -n, n),
  NEXT_N_YEARS: (t, n) => years(t, 1, n),
  N_YEARS_AGO: (t, n) => years(t, -n, 1),
  LAST_N_FISCAL_QUARTERS: (t, n) => quarters(t, -n, n),
  NEXT_N_FISCAL_QUARTERS: (t, n) => quarters(t, 1, n),
  N_FISCAL_QUARTERS_AGO: (t, n) => quarters(t, -n, 1),
  LAST_N_FISCAL_YEARS: (t, n) => years(t, -n, n),
  NEXT_N_FISCAL_YEARS: (t, n) => years(t, 1, n),
  N_FISCAL_YEARS_AGO: (t, n) => years(t, -n, 1),
};

/** Whether `name` (upper case) is a date literal; `withN` for the LAST_N_DAYS:n kind. */
export function isDateLiteral(name: string, withN: boolean): boolean {
  return withN ? name in WITH_N : name in FIXED;
}

/** The range a date literal stands for at `now`. */
export function dateLiteralRange(name: string, n: number | undefined, now: number): Range {
  const t = today(now);
  const withN = WITH_N[name];
  if (withN && n !== undefined) return withN(t, n);
  const fixed = FIXED[name];
  if (!fixed) throw new Error(`not a date literal: ${name}`);
  return fixed(t);
}
