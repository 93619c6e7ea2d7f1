import { describe, expect, it } from 'vitest';
import { scheduleError } from './cron-schedule';

describe("scheduleError: robfig/cron's standard parser, as CronJob validation uses it", () => {
  it('accepts five fields with lists, ranges, steps, names and macros', () => {
    for (const ok of ['* * * * *', '*/15 9-17 * * mon-fri', '0 0 1,15 jan,jul ?', '5 4 * * sun', '@hourly', '@every 1h30m', 'CRON_TZ=UTC 0 5 * * *']) {
      expect(scheduleError(ok), ok).toBeUndefined();
    }
  });

  it('names what is wrong in the words of the parser', () => {
    expect(scheduleError('every minute')).toBe('expected exactly 5 fields, found 2: [every minute]');
    expect(scheduleError('*/5 * * * * *')).toBe('expected exactly 5 fields, found 6: [*/5 * * * * *]');
    expect(scheduleError('61 * * * *')).toBe('end of range (61) above maximum (59): 61');
    expect(scheduleError('* * 0 * *')).toBe('beginning of range (0) below minimum (1): 0');
    expect(scheduleError('5-1 * * * *')).toBe('beginning of range (5) beyond end of range (1): 5-1');
    expect(scheduleError('*/0 * * * *')).toBe('step of range should be a positive number: */0');
    expect(scheduleError('x * * * *')).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(scheduleError('1-2-3 * * * *')).toBe('too many hyphens: 1-2-3');
    expect(scheduleError('@fortnightly')).toBe('unrecognized descriptor: @fortnightly');
    expect(scheduleError('')).toBe('empty spec string');
  });
});
