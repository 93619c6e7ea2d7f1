/**
 * Grader suite for exercise `cron-schedule` (exercises/cronjob/cron-schedule.ts).
 *
 * Cases from the Kubernetes docs' CronJob page (the schedule syntax table, "*\/5 * * * *",
 * "0 0 13 * 5", the macros, startingDeadlineSeconds and the 100 missed schedules), then a
 * whole cluster whose CronJob controller asks your code when to run the docs' hello CronJob.
 * Times print as timestamps: virtual 0 is Wednesday 2025-01-01T00:00:00Z.
 */
import { describe, expect, it } from 'vitest';
import { calendarMs, timestamp, unixSeconds } from '../../lab-kernel/api/time';
import type { Job, KubeEvent } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { CronScheduleDecision, CronScheduleInput } from '../../lab-kernel/controllers/cronjob/cron-schedule-contract';
import { HELLO_CRONJOB } from '../../lab-kernel/controllers/cronjob/hello-cronjob.fixture';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const cronSchedule = slotUnderTest('cron-schedule');
const MINUTE = 60_000;
const at = (text: string) => calendarMs(...(text.match(/\d+/g)!.map(Number) as [number, number, number, number, number]));
/** The decision with its times as timestamps, so a failure reads as dates. */
function decide(input: CronScheduleInput): Record<string, unknown> {
  const d: CronScheduleDecision = cronSchedule(input);
  return { scheduled: d.scheduledMs === undefined ? undefined : timestamp(d.scheduledMs), missed: d.missed, tooManyMissed: d.tooManyMissed, next: d.nextMs === undefined ? undefined : timestamp(d.nextMs) };
}
/** The first scheduled time after `after`, as a timestamp. */
const nextOf = (schedule: string, after: string) => decide({ schedule, lastScheduleMs: at(after), nowMs: at(after) }).next;

describe('Part 1 and 2: the schedule syntax, as the next time after a given one', () => {
  it.each<[string, string, string, string]>([
    ['every minute', '* * * * *', '2025-01-01 00:00', '2025-01-01T00:01:00Z'],
    ["every 5 minutes (the docs' */5)", '*/5 * * * *', '2025-01-01 00:11', '2025-01-01T00:15:00Z'],
    ['at 04:05 each day', '5 4 * * *', '2025-01-01 04:05', '2025-01-02T04:05:00Z'],
    ['a list of minutes', '0,30 * * * *', '2025-01-01 00:10', '2025-01-01T00:30:00Z'],
    ['a range of hours', '0 9-17 * * *', '2025-01-01 17:00', '2025-01-02T09:00:00Z'],
    ['a step over a range counts from its start', '5-20/10 * * * *', '2025-01-01 00:06', '2025-01-01T00:15:00Z'],
    ['n/step means n to the maximum', '10/20 * * * *', '2025-01-01 00:31', '2025-01-01T00:50:00Z'],
    ['the last value of a range is in', '0 22-23 * * *', '2025-01-01 22:30', '2025-01-01T23:00:00Z'],
    ['month names: Feb 1st', '0 0 1 FEB *', '2025-01-01 00:00', '2025-02-01T00:00:00Z'],
    ['weekday names, any case: mon-fri at 09:00 after Friday', '0 9 * * mon-FRI', '2025-01-03 09:00', '2025-01-06T09:00:00Z'],
    ['Sunday is 0', '0 0 * * 0', '2025-01-01 00:00', '2025-01-05T00:00:00Z'],
    ['Saturday is 6', '0 0 * * 6', '2025-01-01 00:00', '2025-01-04T00:00:00Z'],
    ["the docs' 0 0 13 * 5: the 13th OR a Friday (Friday Jan 3 first)", '0 0 13 * 5', '2025-01-01 00:00', '2025-01-03T00:00:00Z'],
    ['0 0 13 * 5 after the last Friday before the 13th', '0 0 13 * 5', '2025-01-10 00:00', '2025-01-13T00:00:00Z'],
    ['a day of month with the weekday a star: both must match (every 13th)', '0 0 13 * *', '2025-01-01 00:00', '2025-01-13T00:00:00Z'],
    ['a day of week with */2 days of month: both restricted, either matches', '0 0 */2 * 1', '2025-01-01 00:00', '2025-01-03T00:00:00Z'],
    ['@hourly is at minute 0', '@hourly', '2025-01-01 00:30', '2025-01-01T01:00:00Z'],
    ['@daily', '@daily', '2025-01-01 00:00', '2025-01-02T00:00:00Z'],
    ['@midnight', '@midnight', '2025-01-01 12:00', '2025-01-02T00:00:00Z'],
    ['@weekly is Sunday midnight', '@weekly', '2025-01-01 00:00', '2025-01-05T00:00:00Z'],
    ['@monthly', '@monthly', '2025-01-01 00:00', '2025-02-01T00:00:00Z'],
    ['@yearly', '@yearly', '2025-01-01 00:00', '2026-01-01T00:00:00Z'],
    ['@annually', '@annually', '2025-06-01 00:00', '2026-01-01T00:00:00Z'],
    ['Feb 29 waits for a leap year', '0 0 29 2 *', '2025-01-01 00:00', '2028-02-29T00:00:00Z'],
  ])('%s: %s after %s => %s', (_name, schedule, after, next) => {
    expect(nextOf(schedule, after)).toBe(next);
  });

  it('takes the next minute after a time within a minute (00:04:30 => 00:05, 00:05:00 => 00:06)', () => {
    expect(decide({ schedule: '* * * * *', lastScheduleMs: 4.5 * MINUTE, nowMs: 4.5 * MINUTE }).next).toBe('2025-01-01T00:05:00Z');
    expect(decide({ schedule: '* * * * *', lastScheduleMs: 5 * MINUTE, nowMs: 5 * MINUTE }).next).toBe('2025-01-01T00:06:00Z');
  });

  it('finds no time for a schedule that never comes (Feb 30)', () => {
    expect(decide({ schedule: '0 0 30 2 *', lastScheduleMs: 0, nowMs: 0 })).toMatchObject({ scheduled: undefined, next: undefined });
  });

  it.each(['0 0 * * 7', '60 * * * *', '* 24 * * *', '0 0 0 * *', '0 0 * 13 *', '* * * *', '@fortnightly'])('refuses %s (throws)', (schedule) => {
    // Your own error, not the stub's.
    expect(() => cronSchedule({ schedule, lastScheduleMs: 0, nowMs: 0 })).toThrow(/^(?!not implemented yet)/);
  });
});

describe('Part 3: which time is due, how many were missed, when to look again', () => {
  it.each<[string, CronScheduleInput, Record<string, unknown>]>([
    ['nothing due yet', { schedule: '*/5 * * * *', lastScheduleMs: 0, nowMs: 4 * MINUTE }, { scheduled: undefined, missed: 0, tooManyMissed: false, next: '2025-01-01T00:05:00Z' }],
    ['due exactly at the scheduled time', { schedule: '*/5 * * * *', lastScheduleMs: 0, nowMs: 5 * MINUTE }, { scheduled: '2025-01-01T00:05:00Z', missed: 1, tooManyMissed: false, next: '2025-01-01T00:10:00Z' }],
    ['one due, run it', { schedule: '*/5 * * * *', lastScheduleMs: 0, nowMs: 6 * MINUTE }, { scheduled: '2025-01-01T00:05:00Z', missed: 1, tooManyMissed: false, next: '2025-01-01T00:10:00Z' }],
    ['two missed: the most recent runs', { schedule: '*/5 * * * *', lastScheduleMs: 0, nowMs: 11 * MINUTE }, { scheduled: '2025-01-01T00:10:00Z', missed: 2, tooManyMissed: false, next: '2025-01-01T00:15:00Z' }],
    ['a controller down 3 hours, hourly: the most recent of 3', { schedule: '@hourly', lastScheduleMs: 0, nowMs: 210 * MINUTE }, { scheduled: '2025-01-01T03:00:00Z', missed: 3, tooManyMissed: false, next: '2025-01-01T04:00:00Z' }],
    ['startingDeadlineSeconds 200: 00:10 is 60 s ago, still due', { schedule: '*/5 * * * *', lastScheduleMs: 0, nowMs: 11 * MINUTE, startingDeadlineSeconds: 200 }, { scheduled: '2025-01-01T00:10:00Z', missed: 1, tooManyMissed: false, next: '2025-01-01T00:15:00Z' }],
    ['startingDeadlineSeconds 30: 00:10 is 60 s ago, too late', { schedule: '*/5 * * * *', lastScheduleMs: 0, nowMs: 11 * MINUTE, startingDeadlineSeconds: 30 }, { scheduled: undefined, missed: 0, tooManyMissed: false, next: '2025-01-01T00:15:00Z' }],
    ['exactly 100 missed is not too many', { schedule: '* * * * *', lastScheduleMs: 0, nowMs: 100 * MINUTE }, { scheduled: '2025-01-01T01:40:00Z', missed: 100, tooManyMissed: false, next: '2025-01-01T01:41:00Z' }],
    ['101 missed is too many, and the most recent still runs', { schedule: '* * * * *', lastScheduleMs: 0, nowMs: 101 * MINUTE + 30_000 }, { scheduled: '2025-01-01T01:41:00Z', missed: 101, tooManyMissed: true, next: '2025-01-01T01:42:00Z' }],
    ['120 missed, but startingDeadlineSeconds 200 counts only 4', { schedule: '* * * * *', lastScheduleMs: 0, nowMs: 120 * MINUTE, startingDeadlineSeconds: 200 }, { scheduled: '2025-01-01T02:00:00Z', missed: 4, tooManyMissed: false, next: '2025-01-01T02:01:00Z' }],
    ['a week of @daily missed from Friday the 3rd', { schedule: '0 0 * * *', lastScheduleMs: at('2025-01-03 00:00'), nowMs: at('2025-01-10 12:00') }, { scheduled: '2025-01-10T00:00:00Z', missed: 7, tooManyMissed: false, next: '2025-01-11T00:00:00Z' }],
  ])('%s', (_name, input, expected) => {
    expect(decide(input)).toEqual(expected);
  });
});

describe(`Part 4: a whole cluster running the docs' hello CronJob on your code (seed ${SEED})`, () => {
  const run = (yaml: string) => {
    const cluster = createCluster({ seed: SEED, use: { 'cron-schedule': SOURCE } });
    cluster.apply(yaml);
    const jobs = () => (cluster.apiServer.cache.list('jobs', 'default') as Job[]).map((j) => j.metadata.name!).sort();
    const said = () => {
      const last = [...cluster.trace.all()].reverse().find((e) => e.kind === 'error' && e.actor === 'kube-controller-manager');
      return last ? `; the controller last said: ${last.summary}` : '';
    };
    return { cluster, jobs, said };
  };
  const jobOf = (m: number) => `hello-${Math.floor(unixSeconds(m * MINUTE) / 60)}`;

  it('creates a Job each virtual minute, named after its minute, and keeps the 3 newest successful ones', () => {
    const { cluster, jobs, said } = run(HELLO_CRONJOB);
    cluster.runFor(2 * MINUTE + 30_000);
    expect(jobs(), `Jobs at 00:02:30${said()}`).toEqual([jobOf(1), jobOf(2)]);
    cluster.runFor(3 * MINUTE);
    expect(jobs(), `Jobs at 00:05:30${said()}`).toEqual([jobOf(3), jobOf(4), jobOf(5)]);
  });

  it('skips a run while one is active under concurrencyPolicy Forbid (startingDeadlineSeconds 10)', () => {
    const { cluster, jobs, said } = run(HELLO_CRONJOB.replace('  schedule:', '  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 10\n  schedule:').replace('date; echo Hello from the Kubernetes cluster', 'sleep 90'));
    cluster.runFor(3 * MINUTE + 30_000);
    expect(jobs(), `Jobs at 00:03:30${said()}`).toEqual([jobOf(1), jobOf(3)]);
    const skipped = (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.reason === 'JobAlreadyActive');
    expect(skipped.length, `JobAlreadyActive events${said()}`).toBe(1);
  });
});
