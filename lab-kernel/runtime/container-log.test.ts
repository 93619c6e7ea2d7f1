import { describe, expect, it } from 'vitest';
import { criLogLine, LogFiles, rfc3339Nano } from './container-log';

describe('container logs in the CRI format', () => {
  it('writes time, stream, the full-line tag F and the text', () => {
    expect(criLogLine(1_500, 'stdout', 'hello')).toBe('2025-01-01T00:00:01.5Z stdout F hello');
    expect(criLogLine(3_600_000, 'stderr', 'oops')).toBe('2025-01-01T01:00:00Z stderr F oops');
  });

  it("drops trailing zeros of the fraction, as Go's RFC3339Nano does", () => {
    expect([rfc3339Nano(1_250), rfc3339Nano(1_007), rfc3339Nano(1_000)]).toEqual(['2025-01-01T00:00:01.25Z', '2025-01-01T00:00:01.007Z', '2025-01-01T00:00:01Z']);
  });

  it('keeps each file apart and hands out copies', () => {
    const logs = new LogFiles();
    logs.append('/a/0.log', 'x');
    logs.append('/a/0.log', 'y');
    logs.read('/a/0.log')!.push('z');
    expect([logs.read('/a/0.log'), logs.read('/b/0.log')]).toEqual([['x', 'y'], undefined]);
  });

  it('deletes one file and leaves the others', () => {
    const logs = new LogFiles();
    logs.append('/a/0.log', 'x');
    logs.append('/a/1.log', 'y');
    logs.remove('/a/0.log');
    logs.remove('/a/2.log');
    expect([logs.read('/a/0.log'), logs.read('/a/1.log')]).toEqual([undefined, ['y']]);
  });
});
