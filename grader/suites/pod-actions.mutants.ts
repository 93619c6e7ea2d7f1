import type { Mutant } from '../mutants';

/** Realistic wrong pod sync decisions: each must fail grader/suites/pod-actions.test.ts (npm run mutants -- pod-actions). */
const file = 'kubelet/pod-actions.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'makes the new sandbox with the old attempt number',
    file,
    find: 'const again = { createSandbox: true, attempt: newest.attempt + 1, sandboxId: newest.id };',
    replace: 'const again = { createSandbox: true, attempt: newest.attempt, sandboxId: newest.id };',
  },
  {
    name: 'keeps a sandbox that has no IP (CNI failed)',
    file,
    find: "  if (!hostNetwork && newest.ip === '') return again;\n",
    replace: '',
  },
  {
    name: 'restarts a container that exited 0 under OnFailure',
    file,
    find: "if (pod.spec.restartPolicy === 'OnFailure') return latest.exitCode !== 0;",
    replace: "if (pod.spec.restartPolicy === 'OnFailure') return true;",
  },
  {
    name: 'restarts containers of a pod that is being deleted',
    file,
    find: '  if (pod.metadata.deletionTimestamp !== undefined) return false;\n',
    replace: '',
  },
  {
    name: 'restarts under restartPolicy Never',
    file,
    find: "  if (pod.spec.restartPolicy === 'Never') return false;\n",
    replace: '',
  },
  {
    name: 'starts every init container at once on a new sandbox',
    file,
    find: 'if (initContainers.length > 0) return { ...actions, initContainersToStart: [0] };',
    replace: 'if (initContainers.length > 0) return { ...actions, initContainersToStart: initContainers.map((_c, i) => i) };',
  },
  {
    name: 'retries a failed init container under restartPolicy Never instead of failing the pod',
    file,
    find: '          if (!restartOnFailure(pod)) return failed(actions);\n          starts.push(i);',
    replace: '          starts.push(i);',
  },
  {
    name: 'keeps a container whose spec changed when the policy is Never',
    file,
    find: '      restart = true; // a changed spec restarts whatever the policy\n',
    replace: '',
  },
  {
    name: 'ignores a failed liveness probe',
    file,
    find: "    } else if (liveness[latest.id] === 'Failure') {",
    replace: "    } else if (liveness[latest.id] === 'Failure' && false) {",
  },
  {
    name: 'never kills a pod whose containers are all done',
    file,
    find: '  if (keep === 0 && actions.containersToStart.length === 0) {',
    replace: '  if (keep === 0 && actions.containersToStart.length === 0 && false) {',
  },
  {
    name: 'runs a finished init container again whenever a sidecar is running',
    file,
    find: '        else if (!previouslyInitialized) starts.push(i + 1); // started for the first time: on to the next',
    replace: '        else starts.push(i + 1);',
  },
  {
    name: 'starts the app before the init containers are done',
    file,
    find: '  if (actions.killPod || !initialized) return actions;',
    replace: '  if (actions.killPod) return actions;',
  },
];
