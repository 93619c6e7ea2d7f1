import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { balancedAllocationPlugin, balancedScore } from './balanced-allocation';
import { testHandle, testNode, testPod } from './testing';

describe('NodeResourcesBalancedAllocation', () => {
  const cases: [string, number[], number][] = [
    ['equal fractions of cpu and memory score 100', [0.5, 0.5], 100],
    ['cpu 80% and memory 20% used: 1 - |0.8 - 0.2| / 2 = 0.7 => 70', [0.8, 0.2], 70],
    ['a fraction above 1 counts as 1', [1.5, 0.5], 75],
    ['three resources use the standard deviation', [0.2, 0.5, 0.8], 75],
    ['one resource alone is always balanced', [0.9], 100],
  ];
  for (const [name, fractions, score] of cases) it(name, () => expect(balancedScore(fractions)).toBe(score));

  it('prefers the node where the pod evens out cpu and memory, counting requests as they are', () => {
    const pod = testPod('p', {}, {}, [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '2', memory: '2Gi' } } }]);
    const cpuHeavy = nodeInfoFor(testNode('cpu-heavy'), [testPod('a', {}, {}, [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' } } }])]);
    const even = nodeInfoFor(testNode('even'));
    const plugin = balancedAllocationPlugin(testHandle([cpuHeavy, even]));
    const state = new Map();
    plugin.preScore(state, pod, [cpuHeavy, even]);
    // cpu-heavy: cpu 4/4 = 1, memory 2/8 = 0.25 => 62; even: cpu 0.5, memory 0.25 => 87
    expect(plugin.score(state, pod, cpuHeavy).score).toBe(62);
    expect(plugin.score(state, pod, even).score).toBe(87);
  });
});
