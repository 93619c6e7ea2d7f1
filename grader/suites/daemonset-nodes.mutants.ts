import type { Mutant } from '../mutants';

/** Realistic wrong DaemonSet decisions: each must fail grader/suites/daemonset-nodes.test.ts (npm run mutants -- daemonset-nodes). */
const file = 'daemonset/daemonset-plan.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'ignores taints: every node runs a daemon pod',
    file,
    find: 'if (untolerated.length === 0) return { shouldRun: true, shouldContinueRunning: true };',
    replace: 'return { shouldRun: true, shouldContinueRunning: true };',
  },
  {
    name: 'treats a PreferNoSchedule taint as keeping the pod away',
    file,
    find: "const untolerated = node.taints.filter((t) => !t.tolerated && (t.effect === 'NoSchedule' || t.effect === 'NoExecute'));",
    replace: 'const untolerated = node.taints.filter((t) => !t.tolerated);',
  },
  {
    name: 'ignores the tolerations: any NoSchedule or NoExecute taint keeps the pod away',
    file,
    find: "const untolerated = node.taints.filter((t) => !t.tolerated && (t.effect === 'NoSchedule' || t.effect === 'NoExecute'));",
    replace: "const untolerated = node.taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');",
  },
  {
    name: 'a NoSchedule taint removes the pod already running (only NoExecute should)',
    file,
    find: "return { shouldRun: false, shouldContinueRunning: !untolerated.some((t) => t.effect === 'NoExecute') };",
    replace: 'return { shouldRun: false, shouldContinueRunning: false };',
  },
  {
    name: 'ignores the nodeSelector',
    file,
    find: 'if (!selected || !node.matchesNodeAffinity) return no;',
    replace: 'if (!node.matchesNodeAffinity) return no;',
  },
  {
    name: 'ignores the required node affinity',
    file,
    find: 'if (!selected || !node.matchesNodeAffinity) return no;',
    replace: 'if (!selected) return no;',
  },
  {
    name: 'ignores a template pinned by nodeName',
    file,
    find: "if (template.nodeName !== undefined && template.nodeName !== '' && template.nodeName !== node.name) return no;\n",
    replace: '',
  },
  {
    name: 'keeps the newest of two pods on a node instead of the oldest',
    file,
    find: "for (const extra of running.sort(oldestFirst).slice(1)) remove(extra, 'duplicate');",
    replace: "for (const extra of running.sort(oldestFirst).reverse().slice(1)) remove(extra, 'duplicate');",
  },
  {
    name: 'does not replace failed pods (counts them as running)',
    file,
    find: "if (pod.phase === 'Failed') {",
    replace: "if (pod.phase === 'Failed' && false) {",
  },
  {
    name: "ignores the node's failed-pod back-off",
    file,
    find: 'let inBackoff = backoff !== undefined && input.nowMs - backoff.lastMs < backoff.delayMs;',
    replace: 'let inBackoff = false;',
  },
  {
    name: 'deletes every failed pod of a node at once, though the first deletion starts the back-off',
    file,
    find: "          remove(pod, 'failed');\n          inBackoff = true;",
    replace: "          remove(pod, 'failed');",
  },
  {
    name: 'creates a second pod on a node whose pod is still being deleted',
    file,
    find: 'if (shouldRun && pods.length === 0) {',
    replace: 'if (shouldRun && pods.filter((p) => !p.deleting).length === 0) {',
  },
  {
    name: 'deletes the pods on a node that is gone even once they were scheduled',
    file,
    find: 'if (!names.has(pod.node) && !pod.scheduled)',
    replace: 'if (!names.has(pod.node))',
  },
  {
    name: 'deletes more old pods than maxUnavailable allows at once',
    file,
    find: 'return [...replacements, ...candidates.slice(0, room)]',
    replace: 'return [...replacements, ...candidates]',
  },
  {
    name: 'counts a new pod that is not available yet as available',
    file,
    find: '      if (!updated[0].available) unavailable++;\n',
    replace: '',
  },
  {
    name: 'does not count the unavailable old pods it replaces against maxUnavailable',
    file,
    find: '      replacements.push(old[0]);\n      unavailable++;',
    replace: '      replacements.push(old[0]);',
  },
  {
    name: 'counts a node whose pod is being deleted as available',
    file,
    find: 'const live = podsOn(input, node).filter((p) => !p.deleting);',
    replace: 'const live = podsOn(input, node);',
  },
];
