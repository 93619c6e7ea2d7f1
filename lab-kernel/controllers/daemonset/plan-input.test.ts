import { describe, expect, it } from 'vitest';
import { timestamp } from '../../api/time';
import type { DaemonSet, Node, Pod } from '../../api/types';
import { parseManifests } from '../../kubectl/kubectl';
import { REFERENCE_CODE } from '../../scheduler/reference-code.fixture';
import { newDaemonPod } from './daemon-pod';
import { FLUENTD_DAEMONSET } from './fluentd-daemonset.fixture';
import { isPodAvailable, planInput } from './plan-input';

const fluentd = { ...(parseManifests(FLUENTD_DAEMONSET)[0] as DaemonSet), metadata: { name: 'fluentd-elasticsearch', namespace: 'kube-system', uid: 'ds-uid' } };
const node = (name: string, spec: Node['spec'] = {}, labels: Record<string, string> = {}): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec });
const sources = (ds: DaemonSet, nodes: Node[], pods: Pod[] = [], nowMs = 0) => ({ ds, nodes, pods, hash: 'h1', nowMs, failedPodBackoff: {}, taintToleration: REFERENCE_CODE['taint-toleration'], nodeAffinity: REFERENCE_CODE['node-affinity'] });
const readySince = (pod: Pod, ms: number): Pod => ({ ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: timestamp(ms) }] } });

describe("the DaemonSet plan's input", () => {
  it("says which taints the daemon pod tolerates: the docs' fluentd the control plane's, every pod the conditions', a PreferNoSchedule by its score", () => {
    const input = planInput(sources(fluentd, [
      node('node-2', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
      node('control-plane', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
    ]));
    expect(input.nodes.map((n) => [n.name, n.taints.map((t) => `${t.key}:${t.effect} ${t.tolerated}`)])).toEqual([
      ['control-plane', ['node-role.kubernetes.io/control-plane:NoSchedule true']],
      ['node-2', ['spot:PreferNoSchedule false', 'node.kubernetes.io/unschedulable:NoSchedule true']],
    ]);
    expect(input.updateStrategy).toEqual({ type: 'RollingUpdate', maxUnavailable: 1 });
  });

  it('evaluates the required node affinity for the plan, and leaves the nodeSelector to it', () => {
    const ds = structuredClone(fluentd);
    ds.spec.template.spec!.nodeSelector = { disktype: 'ssd' };
    ds.spec.template.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } };
    const input = planInput(sources(ds, [node('node-1', {}, { zone: 'a' }), node('node-2', {}, { zone: 'b', disktype: 'ssd' })]));
    expect(input.nodes.map((n) => n.matchesNodeAffinity)).toEqual([true, false]);
    expect(input.template).toEqual({ nodeSelector: { disktype: 'ssd' } });
  });

  it('leaves out finished pods being deleted, and tells updated, ready and available pods apart', () => {
    const ds = { ...fluentd, metadata: { ...fluentd.metadata, annotations: { 'deprecated.daemonset.template.generation': '2' } }, spec: { ...fluentd.spec, minReadySeconds: 10 } };
    const pod = (name: string, node: string, hash: string, generation: string, extra: Partial<Pod> = {}): Pod => {
      const p = newDaemonPod(ds, node, hash, generation);
      return { ...p, ...extra, metadata: { ...p.metadata, name, creationTimestamp: timestamp(0), ...extra.metadata }, spec: { ...p.spec, nodeName: node } };
    };
    const pods = [
      readySince(pod('a', 'node-1', 'h1', '1'), 0),
      readySince(pod('b', 'node-2', 'old', '2'), 5_000),
      pod('c', 'node-3', 'old', '1'),
      { ...pod('d', 'node-4', 'h1', '2', { metadata: { deletionTimestamp: timestamp(1_000) } }), status: { phase: 'Failed' as const } },
    ];
    const input = planInput({ ...sources(ds, [node('node-1')], pods, 12_000) });
    expect(input.pods.map((p) => `${p.name} ${p.node} updated=${p.updated} ready=${p.ready} available=${p.available}`)).toEqual([
      'a node-1 updated=true ready=true available=true',
      'b node-2 updated=true ready=true available=false',
      'c node-3 updated=false ready=false available=false',
    ]);
  });

  it('counts a pod available once it has been Ready for longer than minReadySeconds', () => {
    const pod = readySince({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] } }, 0);
    expect(isPodAvailable(pod, 10, 10_000)).toBe(false);
    expect(isPodAvailable(pod, 10, 10_001)).toBe(true);
    expect(isPodAvailable(pod, 0, 0)).toBe(true);
  });
});
