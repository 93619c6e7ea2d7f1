// Trace pins: the SHA-256 of every simulation's trace, in every unit test, every grader
// scenario (on the solutions, seed 1) and every notebook, committed in trace-pins.json. The
// simulation is deterministic, so a change that only reshapes code keeps every hash; a
// change of behaviour shows up here, by name, and is pinned again in a commit of its own.
//
//   npm test                                        # records into build/trace-pins/, then checks
//   node scripts/trace-pins.mjs check [folder]      # compare a recording with trace-pins.json
//   node scripts/trace-pins.mjs update [folder]     # pin a recording (only the files it ran)
//
// A key is "<file> > <test>" (or a notebook's path); its value lists "<seed>:<hash>", one per
// simulation, in the order they were made. A test renamed or moved keeps its pin as long as
// its hashes still come out somewhere in the same group. A recording of part of a group (some
// test files only) is compared on the files it ran.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const PIN_FILE = join(ROOT, 'scripts', 'trace-pins.json');
export const RECORDING = join(ROOT, 'build', 'trace-pins');

/** The recording in a folder: { group: { key: hashes } }. */
function readRecording(dir) {
  const groups = {};
  if (!existsSync(dir)) return groups;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean)) {
      const { group, key, hashes } = JSON.parse(line);
      groups[group] ??= {};
      // The same key twice in one group (a test retried, a file run twice): keep both, in order.
      groups[group][key] = [...(groups[group][key] ?? []), ...hashes];
    }
  }
  return groups;
}

function readPins() {
  return existsSync(PIN_FILE) ? JSON.parse(readFileSync(PIN_FILE, 'utf8')) : { groups: {}, unstable: [] };
}

function sorted(obj) {
  return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, obj[k]]));
}

function check(dir) {
  const pins = readPins();
  const run = readRecording(dir);
  const unstable = new Set(pins.unstable ?? []);
  const changed = [];
  const unpinned = [];
  let compared = 0;
  for (const [group, keys] of Object.entries(run)) {
    const pinned = pins.groups[group] ?? {};
    const produced = new Set(Object.values(keys).flat());
    // A file this recording did not run at all (a partial run) is not compared.
    const fileOf = (key) => key.split(' > ')[0];
    const filesRun = new Set(Object.keys(keys).map(fileOf));
    const pinnedHashes = new Set(Object.values(pinned).flat());
    for (const [key, hashes] of Object.entries(pinned)) {
      if (unstable.has(`${group}: ${key}`) || !filesRun.has(fileOf(key))) continue;
      compared++;
      const now = keys[key];
      if (now !== undefined && JSON.stringify(now) === JSON.stringify(hashes)) continue;
      if (now === undefined && hashes.every((h) => produced.has(h))) continue; // renamed or moved
      changed.push(`${group}: ${key}${now === undefined ? ' (not run, and its traces came out nowhere)' : ''}`);
    }
    for (const [key, hashes] of Object.entries(keys)) {
      if (pinned[key] === undefined && !unstable.has(`${group}: ${key}`) && !hashes.every((h) => pinnedHashes.has(h))) unpinned.push(`${group}: ${key}`);
    }
  }
  if (Object.keys(run).length === 0) {
    console.log(`no recording in ${dir}: run with KUBELAB_TRACE_PINS=${dir}`);
    return 1;
  }
  for (const u of unpinned.slice(0, 10)) console.log(`new   ${u}`);
  if (unpinned.length > 10) console.log(`new   ... and ${unpinned.length - 10} more`);
  for (const c of changed.slice(0, 30)) console.log(`FAIL  ${c}`);
  if (changed.length > 30) console.log(`FAIL  ... and ${changed.length - 30} more`);
  console.log(`trace pins: ${compared - changed.length} passed, ${changed.length} failed (${unpinned.length} not pinned yet; groups: ${Object.keys(run).sort().join(', ')})`);
  if (changed.length > 0) {
    console.log('A trace changed. If the behaviour change is meant, pin it in a commit of its own that says what changed and why:\n  node scripts/trace-pins.mjs update');
  }
  return changed.length === 0 ? 0 : 1;
}

function update(dir) {
  const pins = readPins();
  const run = readRecording(dir);
  // Like check, a partial recording speaks only for the files it ran: their keys are replaced,
  // every other file's pins are kept.
  const fileOf = (key) => key.split(' > ')[0];
  for (const [group, keys] of Object.entries(run)) {
    const filesRun = new Set(Object.keys(keys).map(fileOf));
    const kept = Object.entries(pins.groups[group] ?? {}).filter(([key]) => !filesRun.has(fileOf(key)));
    pins.groups[group] = sorted({ ...Object.fromEntries(kept), ...keys });
  }
  pins.groups = sorted(pins.groups);
  writeFileSync(PIN_FILE, JSON.stringify(pins, null, 1) + '\n');
  console.log(`pinned ${Object.entries(run).map(([g, k]) => `${g} (${Object.keys(k).length} keys)`).join(', ')} into ${PIN_FILE}`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, dir = RECORDING] = process.argv.slice(2);
  if (command === 'check') process.exit(check(dir));
  if (command === 'update') process.exit(update(dir));
  console.error('usage: node scripts/trace-pins.mjs check|update [folder]');
  process.exit(2);
}
