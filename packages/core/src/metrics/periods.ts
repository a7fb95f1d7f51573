import { DAY_MS } from '../clock.ts';

// Calendar periods in UTC, as the Dashboard reads them: days and months are UTC, a month is "YYYY-MM".

export function startOfUtcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function startOfUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

/** The first instant of the month `months` after (or before, when negative) the one that starts at `monthStart`. */
export function addMonths(monthStart: Date, months: number): Date {
  return new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() + months, 1));
}

/** "YYYY-MM" of the month `at` falls in. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export function monthStartOf(month: string): Date {
  return new Date(`${month}-01T00:00:00.000Z`);
}

/** The selected month (the clock's when none is given): its bounds [start, end), and the instant its figures are as of. */
export interface DashboardPeriod {
  month: string;
  start: Date;
  end: Date;
  /** The month's end for a past month, now for the current one; a future month is answered as of its start. */
  asOf: Date;
}

export function periodOf(month: string | undefined, now: Date): DashboardPeriod {
  const start = month ? monthStartOf(month) : startOfUtcMonth(now);
  const end = addMonths(start, 1);
  const asOf = new Date(Math.max(start.getTime(), Math.min(now.getTime(), end.getTime())));
  return { month: monthOf(start), start, end, asOf };
}

/** The instant shown as "as of": the last millisecond of a past month rather than the next month's first. */
export function displayedAsOf(period: DashboardPeriod): string {
  const at = period.asOf.getTime() === period.end.getTime() ? period.end.getTime() - 1 : period.asOf.getTime();
  return new Date(at).toISOString();
}
