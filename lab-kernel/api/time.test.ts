import { describe, expect, it } from 'vitest';
import { age, calendarMs, calendarOf, goDuration, microTimestamp, rfc1123z, timestamp, unixDate, unixSeconds, virtualMs } from './time';

describe('virtual timestamps', () => {
  it.each([
    [0, '2025-01-01T00:00:00Z'],
    [90_500, '2025-01-01T00:01:30Z'],
    [86_400_000 * 31, '2025-02-01T00:00:00Z'],
    [86_400_000 * 365, '2026-01-01T00:00:00Z'],
  ])('%i ms is %s, and back', (ms, text) => {
    expect(timestamp(ms)).toBe(text);
    expect(virtualMs(text)).toBe(Math.floor(ms / 1000) * 1000);
  });

  it.each([[612, '612ms'], [1_200, '1.2s'], [62_500, '1m2.5s'], [80_000, '1m20s'], [300_000, '5m0s'], [3_600_000, '1h0m0s'], [0, '0s']])('a duration of %i ms prints as Go prints it: %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });

  it.each([
    [0, '2025-01-01T00:00:00.000000Z'],
    [90_500, '2025-01-01T00:01:30.500000Z'],
    [86_400_000 - 1, '2025-01-01T23:59:59.999000Z'],
  ])('%i ms is the MicroTime %s (a Lease\'s renewTime: six fractional digits)', (ms, text) => {
    expect(microTimestamp(ms)).toBe(text);
  });

  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [135_000, '2m15s'],
    [600_000, '10m'],
    [3 * 3600_000 + 20 * 60_000, '3h20m'],
    [30 * 3600_000, '30h'],
    [50 * 3600_000, '2d2h'],
    [10 * 86_400_000, '10d'],
  ])("age after %i ms reads like kubectl's: %s", (ms, text) => {
    expect(age(0, ms)).toBe(text);
  });
});

describe('the calendar of virtual time (what cron schedules match)', () => {
  it('starts on Wednesday 2025-01-01 at midnight UTC, Unix second 1,735,689,600', () => {
    expect(calendarOf(0)).toEqual({ year: 2025, month: 1, day: 1, hour: 0, minute: 0, weekday: 3 });
    expect(unixSeconds(0)).toBe(1_735_689_600);
    expect(unixSeconds(61_500)).toBe(1_735_689_661);
  });

  it.each([
    [90_061_000, { year: 2025, month: 1, day: 2, hour: 1, minute: 1, weekday: 4 }],
    [calendarMs(2025, 3, 1), { year: 2025, month: 3, day: 1, hour: 0, minute: 0, weekday: 6 }],
    [calendarMs(2028, 2, 29, 23, 59), { year: 2028, month: 2, day: 29, hour: 23, minute: 59, weekday: 2 }],
  ])('%i ms falls on %o', (ms, calendar) => {
    expect(calendarOf(ms)).toEqual(calendar);
  });

  it('rolls a day past the month, and a month past the year, over as Go does', () => {
    expect(calendarMs(2025, 1, 32, 0, 5)).toBe(calendarMs(2025, 2, 1, 0, 5));
    expect(calendarMs(2025, 13, 1)).toBe(calendarMs(2026, 1, 1));
    expect(calendarMs(2025, 2, 29)).toBe(calendarMs(2025, 3, 1));
    expect(timestamp(calendarMs(2025, 1, 1, 24, 60))).toBe('2025-01-02T01:00:00Z');
  });

  it("prints a time as Go's RFC1123Z and as busybox's date do", () => {
    expect(rfc1123z(300_000)).toBe('Wed, 01 Jan 2025 00:05:00 +0000');
    expect(unixDate(61_000)).toBe('Wed Jan  1 00:01:01 UTC 2025');
    expect(unixDate(calendarMs(2025, 2, 22, 11, 2) + 9_000)).toBe('Sat Feb 22 11:02:09 UTC 2025');
  });
});
