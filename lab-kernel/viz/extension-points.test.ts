import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { extensionPointsDiagram } from './extension-points';

describe('extensionPointsDiagram', () => {
  it("draws the default profile's points in two cycles, each with its plugins; Score with weights, empty points as (none)", () => {
    const cluster = createCluster({ seed: 1 });
    const plugins = cluster.scheduler.frameworks.get('default-scheduler')!.plugins;
    const lines = extensionPointsDiagram(plugins).split('\n');
    expect(lines.slice(0, 3)).toEqual(['flowchart LR', '  subgraph sc["scheduling cycle (one pod at a time)"]', '  direction TB']);
    expect(lines).toContain('  p0["<b>QueueSort</b><br/>PrioritySort"]');
    expect(lines).toContain(`  p2["<b>Filter</b><br/>${plugins.filter.map((p) => p.name).join('<br/>')}"]`);
    expect(lines.find((l) => l.startsWith('  p5['))).toContain(`${plugins.score[0].plugin.name} ×${plugins.score[0].weight}`);
    expect(lines).toContain('  p6["<b>Reserve</b><br/>(none)"]');
    expect(lines).toContain('  p9["<b>Bind</b><br/>DefaultBinder"]');
    const binding = lines.indexOf('  subgraph bc["binding cycle (in the background)"]');
    expect(lines[binding - 1]).toBe('  end');
    expect(lines[binding + 2]).toMatch(/^  p8\["<b>PreBind<\/b>/);
    expect(lines, 'no arrow across the two cycles: the subgraphs are joined instead').not.toContain('  p7 --> p8');
    expect(lines.slice(-2)).toEqual(['  end', '  sc --> bc']);
  });
});
