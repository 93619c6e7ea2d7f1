import type { ProfilePlugins } from '../scheduler/framework';

/**
 * A profile's extension points as a mermaid flowchart: the scheduling cycle (QueueSort to
 * Permit) and the binding cycle (PreBind, Bind) as two boxes, each point with the plugins the
 * profile runs there, in order; Score plugins with their weights.
 *
 *   extensionPointsDiagram(cluster.scheduler.frameworks.get('default-scheduler')!.plugins)
 *   // => flowchart LR
 *   //      subgraph sc["scheduling cycle (one pod at a time)"]
 *   //      direction TB
 *   //      p0["<b>QueueSort</b><br/>PrioritySort"]
 *   //      p1["<b>PreFilter</b><br/>NodeAffinity<br/>NodePorts<br/>..."]
 *   //      p0 --> p1
 *   //      ...
 *   //      p5["<b>Score</b><br/>TaintToleration ×3<br/>NodeAffinity ×2<br/>..."]
 *   //      ...
 *   //      end
 *   //      subgraph bc["binding cycle (in the background)"]
 *   //      ...
 *   //      sc --> bc
 *
 * A point without plugins says "(none)". Reserve and Permit have none in the default profile.
 */
export function extensionPointsDiagram(plugins: ProfilePlugins): string {
  const names = (list: readonly { name: string }[]) => list.map((p) => p.name);
  const points: Array<[string, string[]]> = [
    ['QueueSort', [plugins.queueSort.name]],
    ['PreFilter', names(plugins.preFilter)],
    ['Filter', names(plugins.filter)],
    ['PostFilter', names(plugins.postFilter)],
    ['PreScore', names(plugins.preScore)],
    ['Score', plugins.score.map((s) => `${s.plugin.name} ×${s.weight}`)],
    ['Reserve', names(plugins.reserve)],
    ['Permit', names(plugins.permit)],
    ['PreBind', names(plugins.preBind)],
    ['Bind', names(plugins.bind)],
  ];
  const lines = ['flowchart LR', '  subgraph sc["scheduling cycle (one pod at a time)"]', '  direction TB'];
  points.forEach(([point, plugged], i) => {
    if (point === 'PreBind') lines.push('  end', '  subgraph bc["binding cycle (in the background)"]', '  direction TB');
    lines.push(`  p${i}["<b>${point}</b><br/>${plugged.length ? plugged.join('<br/>') : '(none)'}"]`);
    if (i > 0 && point !== 'PreBind') lines.push(`  p${i - 1} --> p${i}`);
  });
  lines.push('  end', '  sc --> bc');
  return lines.join('\n');
}
