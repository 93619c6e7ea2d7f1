import type { Mutant } from '../mutants';

/** Realistic wrong NodeResourcesFit plugins: each must fail grader/suites/node-resources-fit.test.ts (npm run mutants -- node-resources-fit). */
const file = 'scheduler/node-resources-fit.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'a node filled exactly to its allocatable does not fit (<= instead of <)',
    file,
    find: 'if (amountOf(node.allocatable, name) < asked + amountOf(node.requested, name))',
    replace: 'if (amountOf(node.allocatable, name) <= asked + amountOf(node.requested, name))',
  },
  {
    name: 'forgets what the pods already on the node request',
    file,
    find: 'if (amountOf(node.allocatable, name) < asked + amountOf(node.requested, name))',
    replace: 'if (amountOf(node.allocatable, name) < asked)',
  },
  {
    name: 'Too many pods is off by one: forgets to count the incoming pod',
    file,
    find: "if (node.podCount + 1 > node.allocatable.allowedPodNumber) reasons.push('Too many pods');",
    replace: "if (node.podCount > node.allocatable.allowedPodNumber) reasons.push('Too many pods');",
  },
  {
    name: 'only checks cpu, memory and ephemeral-storage: extended resources (GPUs) always fit',
    file,
    find: ', ...Object.keys(request.scalar)]',
    replace: ']',
  },
  {
    name: 'scores cpu and memory with the real requests instead of the non-zero defaults',
    file,
    find: "const nonZero = name === 'cpu' || name === 'memory';",
    replace: 'const nonZero = false;',
  },
  {
    name: "the score leaves out the incoming pod's own request",
    file,
    find: 'amountOf(node.nonZeroRequested, name) + amountOf(nonZeroRequest, name)',
    replace: 'amountOf(node.nonZeroRequested, name)',
  },
  {
    name: 'LeastAllocated goes negative on an overcommitted node instead of 0',
    file,
    find: 'if (requested > allocatable) return 0;',
    replace: '',
  },
  {
    name: 'averages over the number of resources instead of their weights',
    file,
    find: 'weights += weight;',
    replace: 'weights += 1;',
  },
  {
    name: "RequestedToCapacityRatio uses the shape's 0..10 scores without scaling them to 0..100",
    file,
    find: 'const scale = MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE;',
    replace: 'const scale = 1;',
  },
  {
    name: 'MostAllocated goes over 100 when the requests exceed the node',
    file,
    find: 'Math.min(requested, allocatable) * MAX_NODE_SCORE',
    replace: 'requested * MAX_NODE_SCORE',
  },
];
