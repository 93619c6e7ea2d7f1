import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { WEB_WITH_SIDECAR as WEB } from '../kubelet/web-with-sidecar.fixture';


const BROKEN = `
apiVersion: v1
kind: Pod
metadata: {name: broken}
spec:
  containers:
  - {name: app, image: "nginx:9.9"}
`;

/** A cluster with web running and the metrics-server add-on installed, then two scrapes (15 s apart) of web running. */
function withMetrics() {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(WEB);
  cluster.installAddOn('metrics-server');
  cluster.runFor(30_000);
  return cluster;
}

describe('kubectl top, as kubectl 1.32 prints it', () => {
  it('says "error: Metrics API not available" while no metrics add-on serves metrics.k8s.io, and while its pod is not ready', () => {
    const cluster = createCluster({ seed: 1 });
    expect(() => cluster.kubectl.top('pods')).toThrow(/^error: Metrics API not available$/);
    expect(() => cluster.kubectl.top('nodes')).toThrow(/^error: Metrics API not available$/);
    cluster.installAddOn('metrics-server');
    expect(cluster.kubectl.top('nodes').split('\n')[0]).toMatch(/^NAME +CPU\(cores\)/);
    cluster.kubectl.delete('pods', cluster.kubectl.getObjects('pods', undefined, { namespace: 'kube-system', selector: 'k8s-app=metrics-server' })[0].metadata.name!, { namespace: 'kube-system' });
    cluster.runFor(1_000);
    expect(() => cluster.kubectl.top('pods')).toThrow(/^error: Metrics API not available$/);
  });

  it('prints NAME CPU(cores) MEMORY(bytes): a pod as the sum of its containers, CPU rounded up to millicores, memory in whole MiB', () => {
    const cluster = withMetrics();
    // kubectl's tabwriter pads every cell, the last one too.
    expect(cluster.kubectl.top('pods')).toBe(['NAME   CPU(cores)   MEMORY(bytes)   ', 'web    2m           5Mi             '].join('\n'));
    expect(cluster.kubectl.top('pods', { containers: true })).toBe(
      ['POD   NAME      CPU(cores)   MEMORY(bytes)   ', 'web   nginx     2m           5Mi             ', 'web   sidecar   0m           0Mi             '].join('\n'),
    );
  });

  it('prints a NAMESPACE column with --all-namespaces, sorted by namespace then name', () => {
    const cluster = withMetrics();
    const lines = cluster.kubectl.top('pods', { allNamespaces: true }).split('\n');
    expect(lines[0]).toBe('NAMESPACE     NAME                                    CPU(cores)   MEMORY(bytes)   ');
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join('/'))).toEqual([
      'default/web', 'kube-system/etcd-control-plane', 'kube-system/kube-apiserver-control-plane',
      'kube-system/kube-controller-manager-control-plane', expect.stringMatching(/^kube-system\/kube-proxy-/), expect.stringMatching(/^kube-system\/kube-proxy-/),
      expect.stringMatching(/^kube-system\/kube-proxy-/), 'kube-system/kube-scheduler-control-plane', expect.stringMatching(/^kube-system\/metrics-server-/),
    ]);
  });

  it('prints nodes with CPU% and MEMORY% of their allocatable (4 CPUs, 8Gi), and <unknown> for a node without metrics yet', () => {
    const cluster = withMetrics();
    const expected = [
      'NAME            CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%   ',
      'control-plane   113m         2%     716Mi           8%        ',
      'node-1          26m          0%     348Mi           4%        ',
      'node-2          26m          0%     352Mi           4%        ',
    ];
    expect(cluster.kubectl.top('nodes')).toBe(expected.join('\n'));
    cluster.joinNode('node-3');
    cluster.runFor(3_000);
    expect(cluster.kubectl.top('nodes').split('\n').at(-1)).toBe('node-3          <unknown>    <unknown>   <unknown>       <unknown>   ');
  });

  it('says why a pod has no metrics: "metrics not available yet" for a new pod, the pod and its age past 2 minutes', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.installAddOn('metrics-server');
    expect(cluster.kubectl.top('pods')).toBe('No resources found in default namespace.');
    cluster.apply(BROKEN);
    expect(() => cluster.kubectl.top('pods')).toThrow(/^error: metrics not available yet$/);
    cluster.runFor(150_000);
    expect(() => cluster.kubectl.top('pods')).toThrow(/^error: Metrics not available for pod default\/broken, age: 2m3\d\.\d+s$/);
  });
});
