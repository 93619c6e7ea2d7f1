import type { Mutant } from '../mutants';

/** Realistic wrong StatefulSet decisions: each must fail grader/suites/statefulset-ordinals.test.ts (npm run mutants -- statefulset-ordinals). */
const file = 'statefulset/statefulset-plan.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'off by one: ordinals 1..replicas instead of 0..replicas-1',
    file,
    find: 'for (let ordinal = startOrdinal; ordinal < startOrdinal + input.replicas; ordinal++) {',
    replace: 'for (let ordinal = startOrdinal + 1; ordinal <= startOrdinal + input.replicas; ordinal++) {',
  },
  {
    name: 'ignores spec.ordinals.start: counts from 0',
    file,
    find: 'for (let ordinal = startOrdinal; ordinal < startOrdinal + input.replicas; ordinal++) {',
    replace: 'for (let ordinal = 0; ordinal < input.replicas; ordinal++) {',
  },
  {
    name: 'names the claim <set>-<template>-<ordinal>',
    file,
    find: 'return templates.map((t) => `${t}-${setName}-${ordinal}`);',
    replace: 'return templates.map((t) => `${setName}-${t}-${ordinal}`);',
  },
  {
    name: 'creates every claim again, even those that exist',
    file,
    find: 'const claims = claimNamesFor(input.claimTemplates, setName, ordinal).filter((c) => !input.claims.includes(c));',
    replace: 'const claims = claimNamesFor(input.claimTemplates, setName, ordinal);',
  },
  {
    name: 'does not wait for Ready: creates the next pod once the one before is Running',
    file,
    find: "    if (!isRunningAndReady(pod)) return wait('not-ready');\n",
    replace: "    if (pod.phase !== 'Running') return wait('not-ready');\n",
  },
  {
    name: 'waits for Ready only, not for the phase Running',
    file,
    find: "    if (!isRunningAndReady(pod)) return wait('not-ready');\n",
    replace: "    if (!pod.ready) return wait('not-ready');\n",
  },
  {
    name: 'ignores minReadySeconds: does not wait for the pod to be available',
    file,
    find: "    if (!pod.available) return wait('not-available');\n",
    replace: '',
  },
  {
    name: 'ignores terminating pods: creates past a pod being deleted',
    file,
    find: "    if (pod.deleting) return wait('terminating');\n",
    replace: '',
  },
  {
    name: 'waits for a Failed pod instead of deleting it',
    file,
    find: "if (pod !== undefined && (pod.phase === 'Failed' || pod.phase === 'Succeeded')) {",
    replace: "if (pod !== undefined && pod.phase === 'Succeeded') {",
  },
  {
    name: 'Parallel treated as OrderedReady: one pod at a time',
    file,
    find: "const monotonic = input.podManagementPolicy === 'OrderedReady';",
    replace: 'const monotonic = true;',
  },
  {
    name: 'OrderedReady treated as Parallel: creates every pod at once',
    file,
    find: "const monotonic = input.podManagementPolicy === 'OrderedReady';",
    replace: "const monotonic = input.podManagementPolicy !== 'OrderedReady' && false;",
  },
  {
    name: 'scales down the lowest condemned ordinal first',
    file,
    find: 'const condemned = input.pods.filter((p) => !inRange(p.ordinal)).sort((a, b) => b.ordinal - a.ordinal);',
    replace: 'const condemned = input.pods.filter((p) => !inRange(p.ordinal)).sort((a, b) => a.ordinal - b.ordinal);',
  },
  {
    name: 'scales down without waiting for the pod it deleted to terminate (deletes it again)',
    file,
    find: "    if (pod.deleting) {\n      if (monotonic) return",
    replace: "    if (pod.deleting && false) {\n      if (monotonic) return",
  },
  {
    name: 'scales down past an unhealthy pod that is not the first unhealthy one',
    file,
    find: 'if (monotonic && !isFirst && (!isRunningAndReady(pod) || !pod.available)) {',
    replace: 'if (monotonic && !isFirst && false) {',
  },
  {
    name: 'partition off by one: leaves the ordinal equal to the partition on the old revision',
    file,
    find: 'ordinal >= startOrdinal + input.updateStrategy.partition; ordinal--) {',
    replace: 'ordinal > startOrdinal + input.updateStrategy.partition; ordinal--) {',
  },
  {
    name: 'updates the lowest ordinal first',
    file,
    find: 'for (let ordinal = startOrdinal + input.replicas - 1; ordinal >= startOrdinal + input.updateStrategy.partition; ordinal--) {',
    replace: 'for (let ordinal = startOrdinal + input.updateStrategy.partition; ordinal < startOrdinal + input.replicas; ordinal++) {',
  },
  {
    name: 'rolls on without waiting for the updated pod to be healthy',
    file,
    find: "    if (!isHealthy(pod)) return [{ type: 'wait', ordinal, pod: name, reason: pod?.deleting ? 'terminating' : 'not-ready' }];\n",
    replace: '',
  },
  {
    name: 'deletes an old pod again while it is terminating',
    file,
    find: 'if (pod !== undefined && !pod.updated && !pod.deleting) return',
    replace: 'if (pod !== undefined && !pod.updated) return',
  },
  {
    name: 'creates a missing pod below the partition at the update revision',
    file,
    find: "const current = updateStrategy.type === 'RollingUpdate' && ordinal < startOrdinal + updateStrategy.partition;",
    replace: 'const current = false;',
  },
  {
    name: 'OnDelete treated as RollingUpdate: replaces old pods itself',
    file,
    find: "if (condemned.blocked || input.updateStrategy.type === 'OnDelete') return actions;",
    replace: "if (condemned.blocked) return actions;\n  if (input.updateStrategy.type === 'OnDelete') return [...actions, ...rollingUpdate({ ...input, updateStrategy: { type: 'RollingUpdate', partition: 0 } })];",
  },
];
