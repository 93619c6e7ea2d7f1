import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { nodeResourcesFitPlugin } from './node-resources-fit';
import { testHandle, testNode, testPod } from './testing';
import { REFERENCE_CODE } from '../reference-code.fixture';
import { notImplemented } from '../../sim/not-implemented';

const requesting = (name: string, cpu: string) => testPod(name, {}, {}, [{ name: 'app', image: 'nginx', resources: { requests: { cpu } } }]);

describe('NodeResourcesFit plugin', () => {
  const node = nodeInfoFor(testNode('node-1'), [requesting('existing', '3')]);

  it('filters with the pod requests summed once in PreFilter: 3 CPUs used + 2 requested on 4 => "Insufficient cpu"', () => {
    const plugin = nodeResourcesFitPlugin(testHandle([node]), { fit: REFERENCE_CODE['node-resources-fit'] });
    const state = new Map();
    plugin.preFilter(state, requesting('p', '2'), [node]);
    expect(plugin.filter(state, requesting('p', '2'), node)).toEqual({ code: 'Unschedulable', reasons: ['Insufficient cpu'] });
    expect(plugin.filter(state, requesting('p', '2'), nodeInfoFor(testNode('empty'))).code).toBe('Success');
  });

  it('scores LeastAllocated by default and MostAllocated when configured', () => {
    const empty = nodeInfoFor(testNode('empty'));
    const pod = requesting('p', '1');
    // cpu 1000 of 4000; memory: the 200Mi default of 8Gi
    expect(nodeResourcesFitPlugin(testHandle([empty]), { fit: REFERENCE_CODE['node-resources-fit'] }).score(new Map(), pod, empty).score).toBe(86);
    const packing = nodeResourcesFitPlugin(testHandle([empty]), { fit: REFERENCE_CODE['node-resources-fit'], scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }] } });
    expect(packing.score(new Map(), pod, empty).score).toBe(25);
  });

  it("learner code that is not written yet becomes the framework's Error status, not a crash", () => {
    const plugin = nodeResourcesFitPlugin(testHandle([node]), {
      fit: () => {
        throw notImplemented('node-resources-fit');
      },
    });
    const status = plugin.filter(new Map(), requesting('p', '1'), node);
    expect(status.code).toBe('Error');
    expect(status.reasons[0]).toContain('not implemented yet: node-resources-fit');
  });
});
