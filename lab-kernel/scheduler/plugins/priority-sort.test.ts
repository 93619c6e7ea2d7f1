import { describe, expect, it } from 'vitest';
import { prioritySortLess } from './priority-sort';
import { testPod } from './testing';

describe('PrioritySort', () => {
  const queued = (priority: number | undefined, timestamp: number) => ({ pod: testPod('p', {}, priority === undefined ? {} : { priority }), timestamp, attempts: 0, unschedulablePlugins: new Set<string>() });
  const cases: [string, ReturnType<typeof queued>, ReturnType<typeof queued>, boolean][] = [
    ['a higher-priority pod goes first, however late it came', queued(1000, 50), queued(0, 10), true],
    ['a lower-priority pod waits', queued(0, 10), queued(1000, 50), false],
    ['between equal priorities, the earlier pod goes first', queued(5, 10), queued(5, 50), true],
    ['a pod without spec.priority counts as priority 0', queued(undefined, 10), queued(0, 50), true],
  ];
  for (const [name, a, b, less] of cases) it(name, () => expect(prioritySortLess(a, b)).toBe(less));
});
