import { describe, expect, it } from 'vitest';
import { cronSchedule } from '../../../solutions/cronjob/cron-schedule';
import { calendarMs, timestamp } from '../../api/time';

const MINUTE = 60_000;
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => calendarMs(y, mo, d, h, mi);

/** The reference schedule decision (exercise cron-schedule) on two of the docs' cases; the grader's suite has the rest. */
describe('the CronJob schedule decision', () => {
  it("reads the docs' 0 0 13 * 5 as the 13th OR a Friday: from Wednesday 2025-01-01, Friday the 3rd comes first", () => {
    const d = cronSchedule({ schedule: '0 0 13 * 5', lastScheduleMs: at(2025, 1, 1), nowMs: at(2025, 1, 1) });
    expect(timestamp(d.nextMs!)).toBe('2025-01-03T00:00:00Z');
  });

  it('counts 101 missed minutes as too many, and still runs the most recent', () => {
    const d = cronSchedule({ schedule: '* * * * *', lastScheduleMs: 0, nowMs: 101 * MINUTE + 30_000 });
    expect({ scheduled: timestamp(d.scheduledMs!), missed: d.missed, tooManyMissed: d.tooManyMissed, next: timestamp(d.nextMs!) }).toEqual({
      scheduled: '2025-01-01T01:41:00Z',
      missed: 101,
      tooManyMissed: true,
      next: '2025-01-01T01:42:00Z',
    });
  });
});
