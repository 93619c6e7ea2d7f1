import type { Mutant } from '../mutants';

/** Realistic wrong relist diffs: each must fail grader/suites/relist.test.ts (npm run mutants -- relist). */
const file = 'reflector/relist.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'forgets the deletions: an object deleted while the watch was down stays in the cache as a ghost',
    file,
    find: "  for (const key of cachedVersions.keys()) if (!listed.has(key)) notifications.push({ kind: 'delete', key });\n",
    replace: '',
  },
  {
    name: 'tells an update for every listed object already cached, changed or not',
    file,
    find: "else if (cachedVersions.get(key) !== obj.metadata.resourceVersion) notifications.push({ kind: 'update', key });",
    replace: "else notifications.push({ kind: 'update', key });",
  },
  {
    name: 'keys objects by name alone (a "web" in two namespaces is one object)',
    file,
    find: 'const key = objectKey(obj);',
    replace: 'const key = obj.metadata.name!;',
  },
  {
    name: 'compares resourceVersions as numbers, and tells an update only when the new one is higher',
    file,
    find: "else if (cachedVersions.get(key) !== obj.metadata.resourceVersion)",
    replace: "else if (Number(obj.metadata.resourceVersion) > Number(cachedVersions.get(key)))",
  },
  {
    name: 'tells the deletions first, before the adds and updates',
    file,
    find: '  return notifications;\n',
    replace: "  notifications.sort((a, b) => (a.kind === 'delete' ? 0 : 1) - (b.kind === 'delete' ? 0 : 1));\n  return notifications;\n",
  },
  {
    name: 'sorts the adds and updates by key instead of keeping the order of the list',
    file,
    find: '  return notifications;\n',
    replace: "  notifications.sort((a, b) => (a.kind === 'delete') === (b.kind === 'delete') ? a.key.localeCompare(b.key) : a.kind === 'delete' ? 1 : -1);\n  return notifications;\n",
  },
  {
    name: 'searches the cache for each listed object (quadratic): too slow for a large relist',
    file,
    find: '    if (!cachedVersions.has(key)) notifications.push',
    replace: "    const found = input.cached.find((c) => objectKey(c) === key);\n    if (found === undefined) notifications.push",
  },
  {
    name: 'sorts the list it is given in place',
    file,
    find: '  for (const obj of input.listed) {',
    replace: "  for (const obj of (input.listed as RelistInput['listed'][number][]).sort((a, b) => objectKey(a).localeCompare(objectKey(b)))) {",
  },
];
