import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import { repoRoot } from './manifest';
import { inSlotSection, loadSlot, SlotError } from './slots';

/** A throwaway repo with the real manifest and one exercise file whose body we choose. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-slots-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function learnerRepo(body: string): string {
  const root = fs.mkdtempSync(path.join(scratch, 'repo-'));
  fs.mkdirSync(path.join(root, 'exercises', 'replicaset'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot(), 'exercises', 'manifest.yaml'), path.join(root, 'exercises', 'manifest.yaml'));
  fs.writeFileSync(path.join(root, 'exercises', 'replicaset', 'reconcile.ts'), body);
  return root;
}

function failure(run: () => unknown): SlotError {
  try {
    run();
  } catch (err) {
    if (err instanceof SlotError) return err;
    throw err;
  }
  throw new Error('expected a SlotError');
}

const input = { replicaSet: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: {}, spec: {} }, pods: [], now: 0 } as never;

describe('loadSlot', () => {
  it('runs the reference solution', () => {
    const reconcile = loadSlot('replicaset', 'solution');
    const rs = {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'u' },
      spec: { replicas: 2, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] } } },
    };
    expect(reconcile({ replicaSet: rs, pods: [], now: 0 }).create).toHaveLength(2);
  });

  it('reports the stub as not implemented yet, naming the exercise', () => {
    const err = failure(() => loadSlot('replicaset', 'exercise')(input));
    expect(err.failure).toBe('not-implemented');
    expect(err.message).toBe('not implemented yet: replicaset');
  });

  it('turns an endless loop inside the function into a timeout', () => {
    const root = learnerRepo('export function reconcileReplicaSet() { while (true) {} }');
    const reconcile = loadSlot('replicaset', 'exercise', { root, timeoutMs: 50 });
    const err = failure(() => reconcile(input));
    expect(err.failure).toBe('timeout');
    expect(err.message).toMatch(/did not return within 50 ms/);
    expect(failure(() => reconcile(input)), 'a second call fails at once with the same error').toBe(err);
  });

  it('turns an endless loop at the top level of the module into a timeout', () => {
    const root = learnerRepo('while (true) {}\nexport function reconcileReplicaSet() {}');
    expect(failure(() => loadSlot('replicaset', 'exercise', { root, timeoutMs: 50 })).failure).toBe('timeout');
  });

  it('reports a syntax error with file, line and column', () => {
    const root = learnerRepo('export function reconcileReplicaSet( {\n  return 1;\n}');
    const err = failure(() => loadSlot('replicaset', 'exercise', { root }));
    expect(err.failure).toBe('compile-error');
    expect(err.message).toMatch(/does not compile:\n.*reconcile\.ts:\d+:\d+ - /);
  });

  it('reports a missing export by name', () => {
    const root = learnerRepo('export function somethingElse() {}');
    expect(failure(() => loadSlot('replicaset', 'exercise', { root })).message).toMatch(/must export a function named reconcileReplicaSet/);
  });

  it('reports a throw with the learner message and where in their file it was, and an async function as a bad result', () => {
    const threw = failure(() => loadSlot('replicaset', 'exercise', { root: learnerRepo('export function reconcileReplicaSet() { throw new Error("boom"); }') })(input));
    expect(threw).toMatchObject({ failure: 'threw', message: 'replicaset (exercise): reconcileReplicaSet threw: boom (at exercises/replicaset/reconcile.ts:1:47)' });
    const promised = failure(() => loadSlot('replicaset', 'exercise', { root: learnerRepo('export async function reconcileReplicaSet() { return 1; }') })(input));
    expect(promised.failure).toBe('bad-result');
  });

  it('passes copies: the learner cannot change the caller’s objects', () => {
    const root = learnerRepo('export function reconcileReplicaSet(i: any) { i.pods.push(1); i.replicaSet.metadata.name = "x"; return i; }');
    const mine = { replicaSet: { metadata: { name: 'web' } }, pods: [] as unknown[], now: 0 };
    const out = loadSlot('replicaset', 'exercise', { root })(mine as never) as unknown as typeof mine;
    expect(mine).toEqual({ replicaSet: { metadata: { name: 'web' } }, pods: [], now: 0 });
    expect(out.pods).toEqual([1]);
  });

  it('reloads the file on every load, so edits are picked up', () => {
    const root = learnerRepo('export function reconcileReplicaSet() { return 1; }');
    expect(loadSlot('replicaset', 'exercise', { root })(input)).toBe(1);
    fs.writeFileSync(path.join(root, 'exercises', 'replicaset', 'reconcile.ts'), 'export function reconcileReplicaSet() { return 2; }');
    expect(loadSlot('replicaset', 'exercise', { root })(input)).toBe(2);
  });
});

describe('loadSlot with objects', () => {
  it('hands back a class instance as a handle whose methods are guarded too', () => {
    const root = learnerRepo(`
      class Counter {
        n = 0;
        add(by: { k: number }) { this.n += by.k; return { n: this.n }; }
        spin() { while (true) {} }
      }
      export function reconcileReplicaSet() { return new Counter(); }`);
    const make = loadSlot('replicaset', 'exercise', { root, timeoutMs: 50 }) as unknown as () => { add(x: { k: number }): { n: number }; spin(): void; n: number };
    const counter = make();
    expect(counter.add({ k: 2 })).toEqual({ n: 2 });
    expect(counter.add({ k: 3 })).toEqual({ n: 5 });
    expect(counter.n).toBe(5);
    expect(failure(() => counter.spin()).message).toMatch(/Counter\.spin did not return within 50 ms/);
    expect(failure(() => counter.add({ k: 1 })).failure, 'one endless loop poisons the whole object').toBe('timeout');
    expect(() => ((counter as { n: number }).n = 1)).toThrow(/only be used through its methods/);
  });
});

describe('inSlotSection', () => {
  const counterRepo = () =>
    learnerRepo(`
      class Counter {
        n = 0;
        add() { this.n++; return this.n; }
        fail() { throw new Error('nope'); }
        spin() { while (true) {} }
      }
      export function reconcileReplicaSet() { return new Counter(); }`);
  type Counter = { add(): number; fail(): void; spin(): void };

  it('runs many guarded calls under one watchdog', () => {
    const counter = (loadSlot('replicaset', 'exercise', { root: counterRepo() }) as unknown as () => Counter)();
    expect(inSlotSection(() => [counter.add(), counter.add(), counter.add()])).toEqual([1, 2, 3]);
    expect(() => inSlotSection(() => counter.fail())).toThrow(/Counter.fail threw: nope/);
    expect(inSlotSection(() => counter.add()), 'a throw leaves the section usable').toBe(4);
  });

  it('blames the call that hung when the section runs out of time, and poisons its slot', () => {
    const counter = (loadSlot('replicaset', 'exercise', { root: counterRepo() }) as unknown as () => Counter)();
    const err = failure(() => inSlotSection(() => {
      counter.add();
      counter.spin();
    }, 50));
    expect(err.message).toMatch(/Counter\.spin did not return within 50 ms/);
    expect(failure(() => counter.add()).failure).toBe('timeout');
  });
});

describe('exercise code called from simulation events', () => {
  it("is cut short by the simulation's watchdog, with the time limit it was given", () => {
    const root = learnerRepo('export function reconcileReplicaSet() { while (true) {} }');
    const reconcile = loadSlot('replicaset', 'exercise', { root });
    const sim = new Simulation({ seed: 1, guard: (run) => inSlotSection(run, 50) });
    sim.after(10, () => reconcile(input));
    expect(failure(() => sim.runFor(100)).message).toMatch(/reconcileReplicaSet did not return within 50 ms/);
  });
});
