import { describe, expect, it } from 'vitest';
import { informerPipelineDiagram, tooOldVersions, watchWindowDiagram } from './watch-diagrams';

describe('tooOldVersions', () => {
  it('reads the two numbers of the watch cache’s 410', () => {
    expect(tooOldVersions('410 too old resource version: 1100 (1235)')).toEqual({ requested: '1100', oldest: '1235' });
    expect(tooOldVersions('200 OK')).toBeUndefined();
  });
});

describe('watchWindowDiagram', () => {
  const chart = watchWindowDiagram({
    client: 'demo-informer', resource: 'ConfigMap', cutAt: 12_300, healedAt: 124_500,
    lastSeen: '1100', answer: '410 too old resource version: 1100 (1235)', newest: '1350',
  });

  it('draws the window before and after, and the client’s resume against it', () => {
    expect(chart.split('\n')[0]).toBe('flowchart TB');
    expect(chart).toContain('at 12.300s: demo-informer is cut off');
    expect(chart).toContain('rv 1100 … 1234: slid out of the window, forgotten');
    expect(chart).toContain('rv 1235 … 1350: the window');
    expect(chart).toContain('-->|"410 too old resource version: 1100 (1235)"| heal');
  });

  it('keeps quotes out of mermaid labels', () => {
    const odd = watchWindowDiagram({ client: 'a"b', resource: 'x', cutAt: 0, healedAt: 1, lastSeen: '1', answer: '410 #1', newest: '2' });
    expect(odd).toContain('a#quot;b');
    expect(odd).toContain('410 #35;1');
  });
});

describe('informerPipelineDiagram', () => {
  it('names each stage in client-go and in the lab, with what went through', () => {
    const chart = informerPipelineDiagram({ watchEvents: 24, syncs: 5, key: 'default/web' });
    for (const name of ['Reflector', 'DeltaFIFO', 'Indexer', 'ResourceEventHandler', 'workqueue', 'worker']) expect(chart).toContain(`<b>${name}`);
    expect(chart).toContain('list, then 24 watch events');
    expect(chart).toContain('5 syncs of default/web');
  });
});
