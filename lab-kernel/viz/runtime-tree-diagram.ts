import type { CgroupView, ProcessView, RuntimeTree } from '../runtime/runtime-tree';
import { frontMatter } from './fit';

/**
 * A node's runtime (runtime-tree.ts) as a mermaid flowchart that fits a notebook's width: one
 * box per pod sandbox, titled with its name, IP and cgroup parent; in it the namespaces the
 * pause container holds (network, IPC, UTS), the pause container that holds them, and each app
 * container joining them, with its PID and the cgroup values the kubelet's requests and limits
 * became.
 *
 *   runtimeTreeDiagram(kubelet.containerd.tree(), ['default/web'])
 *   // flowchart TB
 *   //   subgraph s0["default/web · 10.244.1.2<br/>cgroup /kubepods/burstable/pod1a2b"]
 *   //   s0ns{{"shared namespaces<br/>net:[4026532165]<br/>ipc:[4026532163]<br/>uts:[4026532162]"}}
 *   //   s0p0["<b>POD</b> (pause) pid 4211<br/>cpu.shares 2"]
 *   //   s0p1["<b>nginx</b> pid 4230<br/>cpu.shares 256<br/>cpu quota 50000/100000 µs<br/>memory limit 128Mi"]
 *   //   s0p0 -- holds --> s0ns
 *   //   s0p1 -- joins --> s0ns
 *   //   end
 *
 * `pods` picks sandboxes by <namespace>/<name> (default: all); a container that has exited is
 * drawn with its exit code and without an arrow (its process has no namespaces any more).
 */
export function runtimeTreeDiagram(tree: RuntimeTree, pods?: readonly string[]): string {
  const lines = [...frontMatter({ flowchart: { nodeSpacing: 20, rankSpacing: 30 } }), 'flowchart TB'];
  tree.pods
    .filter((p) => pods === undefined || pods.includes(p.name))
    .forEach((pod, i) => {
      const s = `s${i}`;
      const [pause] = pod.processes;
      lines.push(`  subgraph ${s}["${pod.name} · ${pod.ip || 'no IP'}<br/>cgroup ${pod.cgroupParent}"]`);
      lines.push(`  ${s}ns{{"shared namespaces<br/>${pause.namespaces.net}<br/>${pause.namespaces.ipc}<br/>${pause.namespaces.uts}"}}`);
      pod.processes.forEach((p, j) => lines.push(`  ${s}p${j}["${processLabel(p)}"]`));
      pod.processes.forEach((p, j) => {
        if (p.state === 'CONTAINER_RUNNING') lines.push(`  ${s}p${j} -- ${p.role === 'pause' ? 'holds' : 'joins'} --> ${s}ns`);
      });
      lines.push('  end');
    });
  return lines.join('\n');
}

function processLabel(p: ProcessView): string {
  const head = p.role === 'pause' ? `<b>${p.name}</b> (pause)` : `<b>${p.name}</b>`;
  const running = p.state === 'CONTAINER_RUNNING' && p.pid !== undefined;
  const how = running ? `pid ${p.pid}` : `exited${p.exitCode !== undefined ? ` (${p.exitCode})` : ''}`;
  return [`${head} ${how}`, ...cgroupLines(p.cgroup)].join('<br/>');
}

/** The cgroup's values, as the kubelet set them: shares always, a quota and a memory limit only when there is one. */
function cgroupLines(c: CgroupView): string[] {
  const lines = [`cpu.shares ${c.cpuShares}`];
  if (c.cpuQuota > 0) lines.push(`cpu quota ${c.cpuQuota}/${c.cpuPeriod} µs`);
  if (c.memoryLimitBytes > 0) lines.push(`memory limit ${mebibytes(c.memoryLimitBytes)}`);
  return lines;
}

const mebibytes = (bytes: number) => (bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)}Mi` : `${bytes} bytes`);
