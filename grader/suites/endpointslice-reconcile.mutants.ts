import type { Mutant } from '../mutants';

/** Realistic wrong EndpointSlice decisions: each must fail grader/suites/endpointslice-reconcile.test.ts (npm run mutants -- endpointslice-reconcile). */
const file = 'endpointslice/endpointslice-reconcile.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'drops terminating pods (the Endpoints controller rule, not the slices one)',
    file,
    find: "    if (pod.phase === 'Succeeded' || pod.phase === 'Failed' || !pod.podIP) continue;\n",
    replace: "    if (pod.phase === 'Succeeded' || pod.phase === 'Failed' || !pod.podIP || pod.terminating) continue;\n",
  },
  {
    name: 'ready ignores terminating: a Ready terminating pod stays ready',
    file,
    find: 'const ready = service.publishNotReadyAddresses || (serving && !terminating);',
    replace: 'const ready = service.publishNotReadyAddresses || serving;',
  },
  {
    name: 'serving false for a terminating pod (serving taken as ready)',
    file,
    find: 'const serving = pod.ready;',
    replace: 'const serving = pod.ready && !pod.terminating;',
  },
  {
    name: 'ignores publishNotReadyAddresses for ready',
    file,
    find: 'const ready = service.publishNotReadyAddresses || (serving && !terminating);',
    replace: 'const ready = serving && !terminating;',
  },
  {
    name: 'looks the named port up in the first container only',
    file,
    find: 'pod.containers.flatMap((c) => c.ports).find(',
    replace: '(pod.containers[0]?.ports ?? []).find(',
  },
  {
    name: 'ignores the protocol when looking a named port up',
    file,
    find: "cp.name === target && (cp.protocol ?? 'TCP') === protocol)",
    replace: 'cp.name === target)',
  },
  {
    name: 'resolves the named port once, from the first pod, for all pods',
    file,
    find: '    const ports = endpointPorts(input.service, pod);\n',
    replace: '    const ports = endpointPorts(input.service, input.pods.find((p) => p.podIP) ?? pod);\n',
  },
  {
    name: 'a pod without the named port gets the Service port number instead of leaving it out',
    file,
    find: '?.containerPort;',
    replace: '?.containerPort ?? p.port;',
  },
  {
    name: 'includes pods without an IP',
    file,
    find: "pod.phase === 'Failed' || !pod.podIP) continue;",
    replace: "pod.phase === 'Failed') continue;",
  },
  {
    name: 'includes pods on nodes it does not know',
    file,
    find: '    if (node === undefined && !input.service.publishNotReadyAddresses) {\n',
    replace: '    if (false) {\n',
  },
  {
    name: 'drops pods on unknown nodes even with publishNotReadyAddresses',
    file,
    find: '    if (node === undefined && !input.service.publishNotReadyAddresses) {\n',
    replace: '    if (node === undefined) {\n',
  },
  {
    name: 'off by one at 100: slices of 101',
    file,
    find: '    while (left.length > 0 && endpoints.length < max) endpoints.push(left.shift()!);\n  }\n  const create',
    replace: '    while (left.length > 0 && endpoints.length <= max) endpoints.push(left.shift()!);\n  }\n  const create',
  },
  {
    name: 'off by one at 100: new slices of 99',
    file,
    find: '    const endpoints = fit === undefined ? [] : endpointsOf.get(fit)!;\n    while (left.length > 0 && endpoints.length < max)',
    replace: '    const endpoints = fit === undefined ? [] : endpointsOf.get(fit)!;\n    while (left.length > 0 && endpoints.length < max - 1)',
  },
  {
    name: 'a new slice for every change instead of filling the slices being updated',
    file,
    find: '  for (const name of [...toUpdate].sort(',
    replace: '  for (const name of [].sort(',
  },
  {
    name: 'fills the slices being updated in their order, not fullest first',
    file,
    find: '[...toUpdate].sort((a, b) => endpointsOf.get(b)!.length - endpointsOf.get(a)!.length)',
    replace: '[...toUpdate]',
  },
  {
    name: 'never fits new endpoints into an unchanged slice',
    file,
    find: '    if (left.length < max) {\n',
    replace: '    if (false) {\n',
  },
  {
    name: 'takes the first unchanged slice with room, not the closest fit',
    file,
    find: '        if (gap >= 0 && gap < bestGap) [fit, bestGap] = [name, gap];\n        if (gap === 0) break;\n',
    replace: '        if (gap >= 0 && fit === undefined) [fit, bestGap] = [name, gap];\n',
  },
  {
    name: 'ignores a changed endpoint state: a pod turning not-Ready is not written',
    file,
    find: '      if (!sameEndpointState(want, endpoint)) changed = true;\n',
    replace: '',
  },
  {
    name: 'ignores changed labels: the slice is left unchanged',
    file,
    find: '(slice.labelsChanged ? toUpdate : unchanged).push(slice.name);',
    replace: 'unchanged.push(slice.name);',
  },
  {
    name: 'keeps a slice that lost all its endpoints, empty, instead of deleting it',
    file,
    find: '      if (kept.length === 0) toDelete.push(slice.name);\n      else toUpdate.push(slice.name);\n',
    replace: '      toUpdate.push(slice.name);\n',
  },
  {
    name: 'no placeholder: a Service without pods has no slice',
    file,
    find: '  else plan.create.push({ ports: [], endpoints: [] });\n',
    replace: '',
  },
  {
    name: 'deletes and re-creates the placeholder on every sync',
    file,
    find: '  if (only !== undefined && only.ports.length === 0 && only.endpoints.length === 0 && !only.labelsChanged) plan.delete = [];\n  else plan.create',
    replace: '  plan.create',
  },
  {
    name: 'keeps the placeholder even when its labels changed',
    file,
    find: 'only.endpoints.length === 0 && !only.labelsChanged) plan.delete = [];',
    replace: 'only.endpoints.length === 0) plan.delete = [];',
  },
];
