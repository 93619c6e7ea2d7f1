import { describe, expect, it } from 'vitest';
import { age, goDuration, microTimestamp, timestamp, virtualMs } from './time';

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
