import type { Mutant } from '../mutants';

/** Realistic wrong cron schedules: each must fail grader/suites/cron-schedule.test.ts (npm run mutants -- cron-schedule). */
const file = 'cronjob/cron-schedule.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'ANDs day of month and day of week even when both are restricted',
    file,
    find: 'return fields.domStar || fields.dowStar ? dom && dow : dom || dow;',
    replace: 'return dom && dow;',
  },
  {
    name: 'ORs the day fields always (a star day of week matches every day)',
    file,
    find: 'return fields.domStar || fields.dowStar ? dom && dow : dom || dow;',
    replace: 'return dom || dow;',
  },
  {
    name: 'numbers Sunday 7 (ISO weekdays)',
    file,
    find: 'const dow = fields.daysOfWeek.includes(weekday);',
    replace: 'const dow = fields.daysOfWeek.includes(weekday === 0 ? 7 : weekday);',
  },
  {
    name: 'applies a step from 0 instead of the start of the range',
    file,
    find: 'for (let v = start; v <= end; v += step) values.add(v);',
    replace: 'for (let v = 0; v <= end; v += step) if (v >= start) values.add(v);',
  },
  {
    name: 'leaves out the last value of a range',
    file,
    find: 'for (let v = start; v <= end; v += step) values.add(v);',
    replace: 'for (let v = start; v < end || (v === start && start === end); v += step) values.add(v);',
  },
  {
    name: 'accepts 7 and other values past the field\'s maximum',
    file,
    find: 'if (start < bounds.min || end > bounds.max || start > end)',
    replace: 'if (start < bounds.min || start > end)',
  },
  {
    name: 'takes the names in upper case only',
    file,
    find: 'return names?.[text.toLowerCase()] ?? number(text);',
    replace: 'return names?.[text] ?? names?.[text.toLowerCase() === text ? text.toUpperCase() : text] ?? number(text);',
  },
  {
    name: 'next time equal to t when t is on a scheduled minute, not after it',
    file,
    find: 'let at = (Math.floor(t / 60_000) + 1) * 60_000;',
    replace: 'let at = Math.ceil(t / 60_000) * 60_000;',
  },
  {
    name: 'treats @hourly as every minute (its minute 0 forgotten)',
    file,
    find: "'@hourly': '0 * * * *',",
    replace: "'@hourly': '* * * * *',",
  },
  {
    name: '@weekly on Monday',
    file,
    find: "'@weekly': '0 0 * * 0',",
    replace: "'@weekly': '0 0 * * 1',",
  },
  {
    name: 'counts the missed times one short',
    file,
    find: 'const missed = Math.floor(Math.floor((nowMs - t1) / 1000) / intervalSeconds) + 1;',
    replace: 'const missed = Math.floor(Math.floor((nowMs - t1) / 1000) / intervalSeconds);',
  },
  {
    name: 'ignores startingDeadlineSeconds',
    file,
    find: 'const earliest = startingDeadlineSeconds === undefined ? input.lastScheduleMs : Math.max(input.lastScheduleMs, nowMs - startingDeadlineSeconds * 1000);',
    replace: 'const earliest = input.lastScheduleMs;',
  },
  {
    name: 'runs the oldest missed time instead of the most recent',
    file,
    find: 'if (t2 === undefined || nowMs < t2) return { ...none, scheduledMs: t1, missed: 1 };',
    replace: 'if (t2 === undefined || nowMs < t2 || true) return { ...none, scheduledMs: t1, missed: 1 };',
  },
  {
    name: 'calls 100 missed too many',
    file,
    find: 'missed, tooManyMissed: missed > TOO_MANY_MISSED',
    replace: 'missed, tooManyMissed: missed >= TOO_MANY_MISSED',
  },
  {
    name: 'does not start the most recent time once too many were missed',
    file,
    find: "...(scheduledMs !== undefined ? { scheduledMs } : {}) };",
    replace: "...(scheduledMs !== undefined && missed <= TOO_MANY_MISSED ? { scheduledMs } : {}) };",
  },
  {
    name: 'looks again at the first time after the last run, not after now',
    file,
    find: '  const nextMs = next(nowMs);\n',
    replace: '  const nextMs = next(input.lastScheduleMs + (nowMs - nowMs));\n',
  },
];
