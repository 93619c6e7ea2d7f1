import { describe, expect, it } from 'vitest';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from './slow-start-batch';

/** Runs slowStartBatch with answers given by hand, batch by batch; `fails` are the calls that fail. */
function run(count: number, fails: number[] = []) {
  const batches: number[][] = [];
  const waiting: (() => void)[] = [];
  let result: { successes: number; failed: boolean } | undefined;
  slowStartBatch(
    count,
    SLOW_START_INITIAL_BATCH_SIZE,
    (i, answered) => {
      if (waiting.length === 0) batches.push([]);
      batches[batches.length - 1].push(i);
      waiting.push(() => answered(!fails.includes(i)));
    },
    (successes, failed) => (result = { successes, failed }),
  );
  // Answer the outstanding batch; the next one starts when its last call is answered.
  while (waiting.length > 0) for (const answer of waiting.splice(0)) answer();
  return { batches, result };
}

describe('slowStartBatch', () => {
  it('sends batches of 1, 2, 4, ... and the rest, each once the one before has been answered', () => {
    expect(run(10)).toEqual({ batches: [[0], [1, 2], [3, 4, 5, 6], [7, 8, 9]], result: { successes: 10, failed: false } });
  });

  it('stops after the first batch with a failure, counting that batch’s successes', () => {
    expect(run(10, [2])).toEqual({ batches: [[0], [1, 2]], result: { successes: 2, failed: true } });
  });

  it('makes one call only when the first fails', () => {
    expect(run(500, [0])).toEqual({ batches: [[0]], result: { successes: 0, failed: true } });
  });

  it('finishes at once with nothing to do', () => {
    expect(run(0)).toEqual({ batches: [], result: { successes: 0, failed: false } });
  });
});
