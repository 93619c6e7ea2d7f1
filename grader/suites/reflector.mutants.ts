import type { Mutant } from '../mutants';

/** Realistic wrong reflectors: each must fail grader/suites/reflector.test.ts (npm run mutants -- reflector). */
const file = 'reflector/reflector.ts';

export const MUTANTS: Mutant[] = [
  {
    name: 'relists after every failed watch, 429 and 503 too, instead of watching again',
    file,
    find: "input.status.code === 429 || input.status.code === 503 ? 'rewatch' : 'relist'",
    replace: "'relist'",
  },
  {
    name: 'a BOOKMARK does not move the resourceVersion on',
    file,
    find: 'const lastSyncResourceVersion = input.event.object.metadata.resourceVersion ?? state.lastSyncResourceVersion;',
    replace:
      "const lastSyncResourceVersion = input.event.type === 'BOOKMARK' ? state.lastSyncResourceVersion : (input.event.object.metadata.resourceVersion ?? state.lastSyncResourceVersion);",
  },
  {
    name: 'only 429 means watch again: a 503 (could not connect) relists',
    file,
    find: ' || input.status.code === 503',
    replace: '',
  },
  {
    name: 'relists when the watch merely timed out',
    file,
    find: "return { state, actions: [{ kind: 'close-watch' }, watchFrom(state)] };",
    replace: "return { state: { ...state, phase: 'listing' }, actions: [{ kind: 'close-watch' }, listFrom(state)] };",
  },
  {
    name: 'applies a BOOKMARK to the store like any other event',
    file,
    find: "input.event.type === 'BOOKMARK' ? [] : [{ kind: 'apply', event: input.event }]",
    replace: "[{ kind: 'apply', event: input.event }]",
  },
  {
    name: 'accepts a late list answer while already watching',
    file,
    find: "case 'listed':\n      if (state.phase !== 'listing') return unchanged(state);",
    replace: "case 'listed':",
  },
  {
    name: 'opens the watch without asking for bookmarks',
    file,
    find: '{ kind: \'watch\', resourceVersion: input.resourceVersion, allowWatchBookmarks: true }',
    replace: '{ kind: \'watch\', resourceVersion: input.resourceVersion, allowWatchBookmarks: false }',
  },
  {
    name: 'does not close the broken watch before backing off',
    file,
    find: "actions: [{ kind: 'close-watch' }, { kind: 'backoff', then }]",
    replace: "actions: [{ kind: 'backoff', then }]",
  },
  {
    name: 'resyncs while listing or waiting, not only while watching',
    file,
    find: "state.phase === 'watching' ? [{ kind: 'resync' }] : []",
    replace: "[{ kind: 'resync' }]",
  },
  {
    name: 'always lists with "" (a consistent read from etcd), never "0" nor the last resourceVersion',
    file,
    find: "    if (state.lastSyncResourceVersionUnavailable) return { kind: 'list', resourceVersion: '' } as const;\n    return { kind: 'list', resourceVersion: state.lastSyncResourceVersion === '' ? '0' : state.lastSyncResourceVersion } as const;",
    replace: "    return { kind: 'list', resourceVersion: '' } as const;",
  },
  {
    name: 'relists from "0" after a list failed 410, instead of a consistent read',
    file,
    find: "if (state.lastSyncResourceVersionUnavailable) return { kind: 'list', resourceVersion: '' } as const;",
    replace: "if (state.lastSyncResourceVersionUnavailable) return { kind: 'list', resourceVersion: '0' } as const;",
  },
  {
    name: 'relists from "0" after a watch failed 410 (forgets the last resourceVersion)',
    file,
    find: "state: { ...state, phase: then === 'rewatch' ? 'waiting-to-rewatch' : 'waiting-to-relist' },",
    replace: "state: { ...state, lastSyncResourceVersion: then === 'relist' ? '' : state.lastSyncResourceVersion, phase: then === 'rewatch' ? 'waiting-to-rewatch' : 'waiting-to-relist' },",
  },
  {
    name: 'backs off after a list failed 410 instead of listing again at once with ""',
    file,
    find: "if (isResourceVersionUnavailable(input.status) && !state.lastSyncResourceVersionUnavailable) {",
    replace: "if (false) {",
  },
];
