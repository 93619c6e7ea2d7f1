import { describe, expect, it } from 'vitest';
import { Trace } from '../sim/trace';
import { componentDiagram, sequenceDiagram } from './diagrams';

function sampleTrace(): Trace {
  const t = new Trace();
  t.message(0, 'kubectl', 'kube-apiserver', 2, 'request', 'create replicasets default', { verb: 'create', resource: 'replicasets' });
  t.message(2, 'kube-apiserver', 'etcd', 2, 'request', 'txn create /registry/replicasets/default/web', { key: '/registry/replicasets/default/web' });
  t.message(2, 'etcd', 'kube-apiserver', 2, 'response', 'ok, revision 9');
  t.message(2, 'kube-apiserver', 'kubectl', 4, 'response', '201 Created');
  t.message(2, 'kube-apiserver', 'kube-controller-manager', 3, 'event', 'ADDED ReplicaSet default/web');
  t.action(3, 'kube-controller-manager', 'reconcile default/web; want 3 {x}');
  return t;
}

const components = [
  { name: 'etcd', host: 'control-plane' },
  { name: 'kube-apiserver', host: 'control-plane' },
  { name: 'kube-controller-manager', host: 'control-plane' },
  { name: 'kubectl', host: 'your laptop' },
];

describe('componentDiagram', () => {
  it('draws an arrow from whoever opens a connection, and a dotted one back for watch events', () => {
    const text = componentDiagram(sampleTrace().all(), components);
    expect(text).toContain('subgraph h0["control-plane"]');
    expect(text).toContain('c3 -->|"create replicasets (1)"| c1');
    expect(text).toContain('c1 -->|"txn /registry/... (1)"| c0');
    expect(text).toContain('c1 -.->|"watch events (1)"| c2');
    expect(text, 'responses are not connections of their own').not.toContain('c0 -->');
  });
});

describe('sequenceDiagram', () => {
  it('draws requests, responses and events with different arrows, and actions as notes', () => {
    const text = sequenceDiagram(sampleTrace().all());
    expect(text.split('\n')).toEqual([
      'sequenceDiagram',
      '  participant p0 as kubectl',
      '  participant p1 as kube-apiserver',
      '  participant p2 as etcd',
      '  participant p3 as kube-controller-manager',
      '  p0->>p1: 0.000s create replicasets default',
      '  p1->>p2: 0.002s txn create /registry/replicasets/default/web',
      '  p2-->>p1: 0.002s ok, revision 9',
      '  p1-->>p0: 0.002s 201 Created',
      '  p1-)p3: 0.002s ADDED ReplicaSet default/web',
      '  Note over p3: 0.003s reconcile default/web, want 3 (x)',
    ]);
  });

  it('can hide etcd and responses, and says how much it left out', () => {
    const text = sequenceDiagram(sampleTrace().all(), { hideEtcd: true, hideResponses: true, maxMessages: 1 });
    expect(text).not.toContain('etcd');
    expect(text).toContain('... 2 more not drawn');
  });
});
