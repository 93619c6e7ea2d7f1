/**
 * Exercise `cron-schedule` — when a CronJob runs. (chapter 07)
 *
 * The CronJob controller (cronjob_controllerv2.go) does not poll: after each sync it sleeps
 * until the next scheduled time. When it wakes it asks which scheduled time is due, starts a
 * Job for it, named after that time, and sleeps again. This file answers its question, for
 * schedules in cron's five fields, as Kubernetes parses them (github.com/robfig/cron/v3's
 * standard parser, in UTC):
 *
 *   # ┌───────────── minute (0 - 59)
 *   # │ ┌───────────── hour (0 - 23)
 *   # │ │ ┌───────────── day of the month (1 - 31)
 *   # │ │ │ ┌───────────── month (1 - 12, or jan - dec)
 *   # │ │ │ │ ┌───────────── day of the week (0 - 6, Sunday to Saturday, or sun - sat)
 *   # * * * * *
 *
 *   schedule '*\/5 * * * *', last run 00:00, now 00:11            => start 00:10 (2 missed), look again at 00:15
 *   schedule '0 0 13 * 5' (the 13th, and every Friday), now Jan 2 => nothing due; next: Friday Jan 3, 00:00
 *   schedule '@hourly', last run 00:00, now 05:30, startingDeadlineSeconds 600
 *                                                                 => nothing: 05:00 is more than 600 s ago
 *
 * Times are virtual ms (0 is Wednesday 2025-01-01T00:00:00Z); calendarOf and calendarMs in
 * lab-kernel/api/time.ts turn them into a calendar and back.
 *
 * You write three parts of it (cronSchedule, which calls them, is given):
 *   1. parseSchedule: the five fields (or a macro) into the values each field allows
 *   2. nextAfter: the first scheduled time strictly after a time
 *   3. missedTimes: which scheduled time is due now, how many were missed, when to look again
 *
 * Run a cluster on your code with
 *   createCluster({ use: { 'cron-schedule': 'exercise' } })
 * and grade it with
 *   npm run grade -- cron-schedule
 */
import { calendarMs, calendarOf } from '../../lab-kernel/api/time';
import { TOO_MANY_MISSED, type CronScheduleDecision, type CronScheduleInput } from '../../lab-kernel/controllers/cronjob/cron-schedule-contract';

/** Given: the schedule parsed, then the question answered with its next times. */
export function cronSchedule(input: CronScheduleInput): CronScheduleDecision {
  const fields = parseSchedule(input.schedule);
  return missedTimes(input, (t) => nextAfter(fields, t));
}

/** A parsed schedule: the values each field allows, in increasing order. */
export interface CronFields {
  minutes: number[];
  hours: number[];
  daysOfMonth: number[];
  months: number[];
  /** 0 is Sunday. */
  daysOfWeek: number[];
  /** Whether the day-of-month field was a star (`*` or `?`, without a step above 1). */
  domStar: boolean;
  /** Whether the day-of-week field was. */
  dowStar: boolean;
}

/** Given: each field's bounds and names, in the order of the five fields. */
export const FIELD_BOUNDS: readonly { min: number; max: number; names?: Readonly<Record<string, number>> }[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } },
  { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } },
];

/** Given: what each macro stands for. */
export const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/**
 * TODO(1) Parse a schedule into the values each field allows (throw an Error on one that is
 * not a schedule; the API server has already refused most of those).
 *   - a macro (@hourly, @daily, ...) is the five fields MACROS gives
 *   - five fields split on white space; each field is a comma-separated list of parts
 *   - a part is `*` (or `?`): every value of the field; `n`: n; `a-b`: a to b, both ends in;
 *     each may end in `/step`: every step-th value from the start of the range; `n/step` means
 *     n to the field's maximum
 *   - month and day-of-week values may be names, in any case: JAN, mon, Fri-SAT
 *   - a value outside the field's bounds is an error (robfig/cron takes no 7 for Sunday)
 *   - domStar / dowStar: a part of the day field was `*` or `?` with no step above 1
 *   '*\/15 9-17 * * MON-FRI' => minutes [0, 15, 30, 45], hours [9 .. 17], days of week [1 .. 5], dowStar false
 *   '5-20/10 * * * *'        => minutes [5, 15]
 *   '@weekly'                => minutes [0], hours [0], days of week [0], domStar true, dowStar false
 */
export function parseSchedule(schedule: string): CronFields {
  // BEGIN SOLUTION
  const spec = schedule.trim();
  const fields = (MACROS[spec] ?? spec).split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const parsed = fields.map((field, i) => parseField(field, FIELD_BOUNDS[i]));
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parsed.map((p) => p.values);
  return { minutes, hours, daysOfMonth, months, daysOfWeek, domStar: parsed[2].star, dowStar: parsed[4].star };

  function parseField(field: string, bounds: (typeof FIELD_BOUNDS)[number]): { values: number[]; star: boolean } {
    const values = new Set<number>();
    let star = false;
    for (const part of field.split(',')) {
      const [range, stepText, ...extra] = part.split('/');
      if (extra.length > 0) throw new Error(`too many slashes: ${part}`);
      const step = stepText === undefined ? 1 : number(stepText);
      if (step < 1) throw new Error(`step of range should be a positive number: ${part}`);
      let start: number;
      let end: number;
      if (range === '*' || range === '?') {
        [start, end] = [bounds.min, bounds.max];
        if (step === 1) star = true;
      } else {
        const [low, high, ...more] = range.split('-');
        if (more.length > 0) throw new Error(`too many hyphens: ${part}`);
        start = valueOf(low, bounds.names);
        end = high !== undefined ? valueOf(high, bounds.names) : stepText !== undefined ? bounds.max : start;
      }
      if (start < bounds.min || end > bounds.max || start > end) throw new Error(`${part} is out of range ${bounds.min}-${bounds.max}`);
      for (let v = start; v <= end; v += step) values.add(v);
    }
    return { values: [...values].sort((a, b) => a - b), star };
  }

  function valueOf(text: string, names: Readonly<Record<string, number>> | undefined): number {
    return names?.[text.toLowerCase()] ?? number(text);
  }

  function number(text: string): number {
    if (!/^[0-9]+$/.test(text)) throw new Error(`failed to parse int from ${text}`);
    return Number(text);
  }
  // END SOLUTION
}

/**
 * TODO(2) The first scheduled time strictly after t (virtual ms), or undefined if there is
 * none within five years (robfig/cron gives up there: '0 0 30 2 *' never comes).
 *   - candidates are whole minutes: the first is the minute after t's (seconds count: after
 *     00:04:30 comes 00:05, after 00:05:00 comes 00:06 if every minute matches)
 *   - a time matches when its minute, hour and month are allowed, and its day is: when both
 *     day fields are restricted (neither domStar nor dowStar), a day matches if EITHER its day
 *     of month OR its day of week is allowed (cron's rule); when one is a star, both must be
 *   - skip ahead a field at a time (a month not allowed: the 1st of the next, at 00:00; a day:
 *     the next day at 00:00; an hour: the next hour at :00) rather than minute by minute
 *   '*\/5 * * * *', after 00:11:00            => 00:15
 *   '0 0 13 * 5', after Wed 2025-01-01 00:00  => Fri 2025-01-03 00:00
 *   '0 0 13 * *', after 2025-01-01            => 2025-01-13 00:00
 */
export function nextAfter(fields: CronFields, t: number): number | undefined {
  // BEGIN SOLUTION
  let at = (Math.floor(t / 60_000) + 1) * 60_000;
  const yearLimit = calendarOf(at).year + 5;
  for (;;) {
    const c = calendarOf(at);
    if (c.year > yearLimit) return undefined;
    if (!fields.months.includes(c.month)) at = calendarMs(c.year, c.month + 1, 1);
    else if (!dayMatches(c.day, c.weekday)) at = calendarMs(c.year, c.month, c.day + 1);
    else if (!fields.hours.includes(c.hour)) at = calendarMs(c.year, c.month, c.day, c.hour + 1);
    else if (!fields.minutes.includes(c.minute)) at += 60_000;
    else return at;
  }

  function dayMatches(day: number, weekday: number): boolean {
    const dom = fields.daysOfMonth.includes(day);
    const dow = fields.daysOfWeek.includes(weekday);
    return fields.domStar || fields.dowStar ? dom && dow : dom || dow;
  }
  // END SOLUTION
}

/**
 * TODO(3) Which scheduled time is due, how many were missed, and when to look again
 * (mostRecentScheduleTime and nextScheduleTimeDuration in kube-controller-manager's utils.go):
 *   - earliest = lastScheduleMs, or now − startingDeadlineSeconds when that is later (the
 *     controller schedules nothing older than the deadline)
 *   - t1 = next(earliest), t2 = next(t1)
 *     now before t1 (or no t1)  => nothing due, missed 0
 *     now before t2             => t1 is due, missed 1
 *     otherwise                 => missed = ⌊(now − t1) / (t2 − t1)⌋ + 1 (whole seconds, an
 *                                  estimate for irregular schedules); the most recent scheduled
 *                                  time at or before now is due: start from
 *                                  t1 + (missed − 2) × (t2 − t1) and take next() while it is not after now
 *   - tooManyMissed: missed > TOO_MANY_MISSED
 *   - nextMs: next(now), the first scheduled time after now
 *   '*\/5 * * * *', last 00:00, now 00:11            => scheduledMs 00:10, missed 2, nextMs 00:15
 *   '* * * * *', last 00:00, now 02:00 (120 missed)  => scheduledMs 02:00, missed 120, tooManyMissed
 *   same, startingDeadlineSeconds 200                => scheduledMs 02:00, missed 4 (01:57 to 02:00)
 */
export function missedTimes(input: CronScheduleInput, next: (t: number) => number | undefined): CronScheduleDecision {
  // BEGIN SOLUTION
  const { nowMs, startingDeadlineSeconds } = input;
  const earliest = startingDeadlineSeconds === undefined ? input.lastScheduleMs : Math.max(input.lastScheduleMs, nowMs - startingDeadlineSeconds * 1000);
  const nextMs = next(nowMs);
  const none: CronScheduleDecision = { missed: 0, tooManyMissed: false, ...(nextMs !== undefined ? { nextMs } : {}) };
  const t1 = next(earliest);
  if (t1 === undefined || nowMs < t1) return none;
  const t2 = next(t1);
  if (t2 === undefined || nowMs < t2) return { ...none, scheduledMs: t1, missed: 1 };
  const intervalSeconds = Math.round((t2 - t1) / 1000);
  const missed = Math.floor(Math.floor((nowMs - t1) / 1000) / intervalSeconds) + 1;
  let scheduledMs: number | undefined;
  for (let t = next(t1 + (missed - 2) * intervalSeconds * 1000); t !== undefined && t <= nowMs; t = next(t)) scheduledMs = t;
  return { ...none, missed, tooManyMissed: missed > TOO_MANY_MISSED, ...(scheduledMs !== undefined ? { scheduledMs } : {}) };
  // END SOLUTION
}
