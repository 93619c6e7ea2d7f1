import { describe, expect, it } from 'vitest';
import { lineChart } from './line-chart';

describe('lineChart', () => {
  it('writes one xychart line, the y axis from 0 to one above the highest value', () => {
    expect(lineChart({ title: 'replicas of "web"', x: 'time (min)', y: 'replicas' }, [{ x: '0', y: 1 }, { x: '0.5', y: 4 }])).toBe(
      ['xychart-beta', `  title "replicas of 'web'"`, '  x-axis "time (min)" ["0", "0.5"]', '  y-axis "replicas" 0 --> 5', '  line [1, 4]'].join('\n'),
    );
  });

  it('takes a given top for the y axis', () => {
    expect(lineChart({ title: 't', x: 'x', y: 'y', yMax: 10 }, [{ x: 'a', y: 3 }]).split('\n')[3]).toBe('  y-axis "y" 0 --> 10');
  });
});
