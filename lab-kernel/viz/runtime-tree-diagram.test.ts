import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { runtimeTreeDiagram } from './runtime-tree-diagram';

describe('runtimeTreeDiagram', () => {
  it("draws a pod's pause container holding the shared namespaces, its containers joining them, and their cgroup values", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: web }\nspec:\n  nodeName: node-1\n  containers:
  - { name: nginx, image: nginx:1.27, resources: { requests: { cpu: 250m, memory: 64Mi }, limits: { cpu: 500m, memory: 128Mi } } }
  - { name: sidecar, image: busybox:1.36, command: [sleep, "3600"] }\n`);
    cluster.runFor(5_000);
    const tree = cluster.kubelets.find((k) => k.node.name === 'node-1')!.containerd.tree();
    const pod = tree.pods.find((p) => p.name === 'default/web')!;
    const [pause, nginx, sidecar] = pod.processes;
    const lines = runtimeTreeDiagram(tree, ['default/web']).split('\n');
    expect(lines).toContain('flowchart TB');
    expect(lines).toContain(`  subgraph s0["default/web · ${pod.ip}<br/>cgroup ${pod.cgroupParent}"]`);
    expect(lines).toContain(`  s0ns{{"shared namespaces<br/>${pause.namespaces.net}<br/>${pause.namespaces.ipc}<br/>${pause.namespaces.uts}"}}`);
    expect(lines).toContain(`  s0p0["<b>POD</b> (pause) pid ${pause.pid}<br/>cpu.shares 2"]`);
    expect(lines).toContain(`  s0p1["<b>nginx</b> pid ${nginx.pid}<br/>cpu.shares 256<br/>cpu quota 50000/100000 µs<br/>memory limit 128Mi"]`);
    expect(lines, 'no limits: shares only').toContain(`  s0p2["<b>sidecar</b> pid ${sidecar.pid}<br/>cpu.shares 2"]`);
    expect(lines.filter((l) => l.includes('-->'))).toEqual(['  s0p0 -- holds --> s0ns', '  s0p1 -- joins --> s0ns', '  s0p2 -- joins --> s0ns']);
  });

  it('leaves out the pods not asked for, and draws a finished pod\'s exited processes with their exit codes and no arrows', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(`apiVersion: v1\nkind: Pod\nmetadata: { name: done }\nspec:\n  nodeName: node-1\n  restartPolicy: Never\n  containers: [{ name: job, image: busybox:1.36, command: [sh, -c, "exit 3"] }]\n`);
    cluster.runFor(5_000);
    const tree = cluster.kubelets.find((k) => k.node.name === 'node-1')!.containerd.tree();
    expect(runtimeTreeDiagram(tree, ['default/other'])).not.toContain('subgraph');
    const lines = runtimeTreeDiagram(tree, ['default/done']).split('\n');
    expect(lines.find((l) => l.startsWith('  s0p1['))).toBe('  s0p1["<b>job</b> exited (3)<br/>cpu.shares 2"]');
    expect(lines.find((l) => l.startsWith('  s0p0[')), 'the kubelet stops the sandbox of a pod that has finished').toMatch(/^  s0p0\["<b>POD<\/b> \(pause\) exited/);
    expect(lines.filter((l) => l.includes('-->'))).toEqual([]);
  });
});
