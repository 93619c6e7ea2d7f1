import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import { MvccStore } from '../store/mvcc-store';
import { checkLinearizability, kvModel, type KvInput, type KvOutput, type Model, type Operation, type ReturnedOperation } from './linearizability';

type KvOp = Operation<KvInput, KvOutput>;
type ReturnedKvOp = ReturnedOperation<KvInput, KvOutput>;

/** A returned operation: client, input, [call, return], output. */
const op = (clientId: number, input: KvInput, [call, ret]: [number, number], output: KvOutput): KvOp => ({
  clientId,
  input,
  call,
  outcome: 'returned',
  output,
  return: ret,
});
/** An operation whose client timed out. */
const timedOut = (clientId: number, input: KvInput, call: number): KvOp => ({ clientId, input, call, outcome: 'unknown' });

const get = (key: string): KvInput => ({ op: 'get', key });
const put = (key: string, value: string): KvInput => ({ op: 'put', key, value });
const del = (key: string): KvInput => ({ op: 'delete', key });
const casRev = (key: string, modRevision: number, value: string): KvInput => ({ op: 'cas', key, compare: { target: 'modRevision', value: modRevision }, value });
const casValue = (key: string, expected: string, value: string): KvInput => ({ op: 'cas', key, compare: { target: 'value', value: expected }, value });

const read = (value: string | undefined, modRevision?: number): KvOutput => ({ op: 'get', value, modRevision });
const wrote = (revision?: number): KvOutput => ({ op: 'put', revision });
const deleted = (yes: boolean, revision?: number): KvOutput => ({ op: 'delete', deleted: yes, revision });
const swapped = (succeeded: boolean, revision?: number): KvOutput => ({ op: 'cas', succeeded, revision });

const verdict = (history: KvOp[]) => checkLinearizability(kvModel, history).result;

describe('linearizability: textbook histories', () => {
  it('rejects a stale read after a completed write, naming the prefix and the operation that cannot be placed', () => {
    const history = [op(0, put('x', '1'), [0, 10], wrote()), op(1, get('x'), [20, 30], read(undefined))];
    const r = checkLinearizability(kvModel, history);
    expect(r.result).toBe('not-linearizable');
    if (r.result !== 'not-linearizable') return;
    expect(r.key).toBe('x');
    expect(r.partialLinearization).toEqual([history[0]]);
    expect(r.unplaceable).toBe(history[1]);
    expect(r.explanation).toBe(
      [
        "Key 'x' is not linearizable (2 operations).",
        'The longest linearizable prefix found has 1 operation, in this order:',
        "  1. client 0: put('x', '1') -> ok [called at 0, returned at 10]",
        "After it the state is: the key holds '1' (modRevision not reported, above 0).",
        "Cannot be placed next: client 1: get('x') -> absent [called at 20, returned at 30]. It returned at 30, so it must take effect by then, but from this state it cannot give that result.",
      ].join('\n'),
    );
  });

  it('lets a read concurrent with a write see either the old or the new value', () => {
    for (const seen of [undefined, '1']) {
      expect(verdict([op(0, put('x', '1'), [0, 10], wrote()), op(1, get('x'), [5, 15], read(seen))])).toBe('linearizable');
    }
    expect(verdict([op(0, put('x', '1'), [0, 10], wrote()), op(1, get('x'), [5, 15], read('2'))])).toBe('not-linearizable');
  });

  it('decides the classic register quiz (two reads inside one long write)', () => {
    // put 100 runs [0, 100]; one read sees it at [25, 75], another sees the old value at [30, 60]: the old read goes first.
    expect(verdict([op(0, put('x', '100'), [0, 100], wrote()), op(1, get('x'), [25, 75], read('100')), op(2, get('x'), [30, 60], read(undefined))])).toBe(
      'linearizable',
    );
    // ... but once a read that saw the new value has returned, a later read cannot see the old one.
    expect(verdict([op(0, put('x', '200'), [0, 100], wrote()), op(1, get('x'), [10, 30], read('200')), op(2, get('x'), [40, 90], read(undefined))])).toBe(
      'not-linearizable',
    );
  });

  it('treats an operation that returns at t and one called at t as concurrent', () => {
    expect(verdict([op(0, put('x', '1'), [0, 10], wrote()), op(1, get('x'), [10, 20], read(undefined))])).toBe('linearizable');
    expect(verdict([op(0, put('x', '1'), [0, 10], wrote()), op(1, get('x'), [11, 20], read(undefined))])).toBe('not-linearizable');
  });

  it('accepts an unknown-outcome write that a later read observes, and one that is never observed', () => {
    expect(verdict([timedOut(0, put('x', '1'), 0), op(1, get('x'), [50, 60], read('1'))])).toBe('linearizable');
    expect(verdict([timedOut(0, put('x', '1'), 0), op(1, get('x'), [50, 60], read(undefined))])).toBe('linearizable');
    // It may even take effect long after the client gave up and moved on.
    expect(
      verdict([timedOut(0, put('x', '1'), 0), op(0, put('x', '2'), [20, 30], wrote()), op(1, get('x'), [40, 50], read('2')), op(1, get('x'), [60, 70], read('1'))]),
    ).toBe('linearizable');
  });

  it('rejects an unknown-outcome write that is observed and then un-observed', () => {
    const history = [timedOut(0, put('x', '1'), 0), op(1, get('x'), [50, 60], read('1')), op(1, get('x'), [70, 80], read(undefined))];
    expect(verdict(history)).toBe('not-linearizable');
  });

  it('checks compare-and-swap: two CAS from the same revision cannot both succeed', () => {
    const base = op(0, put('x', 'a'), [0, 10], wrote(2));
    const casA = (ok: boolean) => op(1, casRev('x', 2, 'b'), [20, 40], swapped(ok, ok ? 3 : undefined));
    const casB = (ok: boolean) => op(2, casRev('x', 2, 'c'), [25, 45], swapped(ok, ok ? 4 : undefined));
    expect(verdict([base, casA(true), casB(false), op(0, get('x'), [50, 60], read('b', 3))])).toBe('linearizable');
    expect(verdict([base, casA(true), casB(true)])).toBe('not-linearizable');
    expect(verdict([base, casA(false), casB(false)])).toBe('not-linearizable');
    // A CAS on the value; as in etcd, comparing the value of a missing key fails, even against ''.
    expect(verdict([base, op(1, casValue('x', 'a', 'b'), [20, 30], swapped(true)), op(2, casValue('x', 'a', 'c'), [40, 50], swapped(false))])).toBe('linearizable');
    expect(verdict([op(0, casValue('y', '', 'v'), [0, 10], swapped(false))])).toBe('linearizable');
    expect(verdict([op(0, casValue('y', '', 'v'), [0, 10], swapped(true))])).toBe('not-linearizable');
    // "Create only if absent": modRevision 0.
    expect(verdict([op(0, casRev('y', 0, 'new'), [0, 10], swapped(true, 2)), op(1, casRev('y', 0, 'again'), [20, 30], swapped(true, 3))])).toBe('not-linearizable');
  });

  it('checks revisions when they are reported', () => {
    expect(verdict([op(0, put('x', 'a'), [0, 10], wrote(5)), op(1, get('x'), [20, 30], read('a', 5))])).toBe('linearizable');
    expect(verdict([op(0, put('x', 'a'), [0, 10], wrote(5)), op(1, get('x'), [20, 30], read('a', 4))])).toBe('not-linearizable');
    // A key's writes get increasing revisions.
    expect(verdict([op(0, put('x', 'a'), [0, 10], wrote(5)), op(1, put('x', 'b'), [20, 30], wrote(3))])).toBe('not-linearizable');
    // A read pins the revision of a write that never reported it; a CAS must then agree.
    const pinned = [timedOut(0, put('x', 'a'), 0), op(1, get('x'), [20, 30], read('a', 7))];
    expect(verdict([...pinned, op(1, casRev('x', 7, 'b'), [40, 50], swapped(true, 9))])).toBe('linearizable');
    expect(verdict([...pinned, op(1, casRev('x', 6, 'b'), [40, 50], swapped(true, 9))])).toBe('not-linearizable');
    // A CAS that succeeded against an unreported revision tells it; a later read must agree.
    const casFirst = [timedOut(0, put('x', 'a'), 0), op(1, casRev('x', 7, 'b'), [20, 30], swapped(true))];
    expect(verdict([...casFirst, op(1, get('x'), [40, 50], read('b'))])).toBe('linearizable');
    expect(verdict([...casFirst, op(1, put('x', 'c'), [40, 50], wrote(6))])).toBe('not-linearizable');
  });

  it('checks deletes: a delete of an absent key deletes nothing', () => {
    expect(verdict([op(0, put('x', 'a'), [0, 10], wrote()), op(1, del('x'), [20, 30], deleted(true)), op(2, get('x'), [40, 50], read(undefined))])).toBe(
      'linearizable',
    );
    expect(verdict([op(0, del('x'), [0, 10], deleted(true))])).toBe('not-linearizable');
    expect(verdict([op(0, put('x', 'a'), [0, 10], wrote()), op(1, del('x'), [20, 30], deleted(false))])).toBe('not-linearizable');
    expect(verdict([timedOut(0, del('x'), 0), op(0, put('x', 'a'), [10, 20], wrote()), op(1, get('x'), [30, 40], read(undefined))])).toBe('linearizable');
  });

  it('checks each key on its own and reports the key that fails', () => {
    const history = [
      op(0, put('a', '1'), [0, 10], wrote()),
      op(1, put('b', '1'), [0, 10], wrote()),
      op(2, get('a'), [20, 30], read('1')),
      op(2, get('b'), [40, 50], read('stale')),
    ];
    const r = checkLinearizability(kvModel, history);
    expect(r.result === 'not-linearizable' && r.key).toBe('b');
  });

  it('works with a model that does not partition (a register), with key undefined', () => {
    const register: Model<number, { write?: number }, number | null> = {
      init: () => 0,
      step: (s, input, output) => (input.write !== undefined ? [true, input.write] : [output === undefined || output === s, s]),
      stateKey: (s) => String(s),
      describeOperation: (input, output) => (input.write !== undefined ? `write(${input.write})` : `read() -> ${output}`),
      describeState: (s) => `register = ${s}`,
    };
    const history: Operation<{ write?: number }, number | null>[] = [
      { clientId: 'a', input: { write: 1 }, call: 0, outcome: 'returned', output: null, return: 10 },
      { clientId: 'b', input: {}, call: 20, outcome: 'returned', output: 0, return: 30 },
    ];
    const r = checkLinearizability(register, history);
    expect(r.result).toBe('not-linearizable');
    if (r.result !== 'not-linearizable') return;
    expect(r.key).toBeUndefined();
    expect(r.explanation).toMatch(/^The history is not linearizable/);
    expect(checkLinearizability(register, [])).toEqual({ result: 'linearizable', steps: 0 });
  });

  it('lists the other candidates when none of them fits either', () => {
    const history = [op(0, put('x', '1'), [0, 10], wrote()), op(1, get('x'), [20, 40], read('9')), op(2, get('x'), [25, 35], read('8'))];
    const r = checkLinearizability(kvModel, history);
    expect(r.result === 'not-linearizable' && r.explanation).toContain(
      "Cannot be placed next: client 2: get('x') -> '8' [called at 25, returned at 35]. It returned at 35, so it must take effect by then, but from this state it cannot give that result.\n" +
        'Nor can any other operation that could go first:\n' +
        "  - client 1: get('x') -> '9' [called at 20, returned at 40]",
    );
  });

  it('rejects malformed histories', () => {
    expect(() => verdict([op(0, put('x', '1'), [10, 5], wrote())])).toThrow(/returns at 5, before its call at 10/);
    expect(() => verdict([op(0, put('x', '1'), [0, 5], read('1'))])).toThrow(/a put on 'x' has the output of a get/);
  });
});

describe('linearizability: step budget', () => {
  // Ten overlapping writes and a read of a value nobody wrote: the search must rule out every subset of writes.
  const history = [
    ...Array.from({ length: 10 }, (_, i) => op(i, put('x', `v${i}`), [0, 100], wrote())),
    op(99, get('x'), [50, 60], read('nobody')),
  ];

  it("answers 'timeout' (unknown) when the budget is spent, and decides with a larger one", () => {
    const small = checkLinearizability(kvModel, history, { maxSteps: 500 });
    expect(small.result).toBe('timeout');
    expect(small.steps).toBe(500);
    expect(small.result === 'timeout' && small.explanation).toBe(
      "Key 'x' (11 operations) could not be decided within 500 steps: it may or may not be linearizable. Raise maxSteps to search longer.",
    );
    const large = checkLinearizability(kvModel, history);
    expect(large.result).toBe('not-linearizable');
    expect(large.steps).toBeGreaterThan(500);
  });

  it('is deterministic: the same history costs the same steps', () => {
    expect(checkLinearizability(kvModel, history).steps).toBe(checkLinearizability(kvModel, history).steps);
  });
});

// ---------------------------------------------------------------------------------------------
// Randomized histories: clients run operations against a real MvccStore, each taking effect at
// a random instant inside its interval, so the history is linearizable by construction.
// ---------------------------------------------------------------------------------------------

interface Generated {
  history: KvOp[];
  /** For every value written: the operation that wrote it (values are unique). */
  writerOf: Map<string, KvOp>;
}

function generate(seed: number, { ops, clients, keys, unknownRate }: { ops: number; clients: number; keys: number; unknownRate: number }): Generated {
  const rng = new Rng(seed);
  const store = new MvccStore();
  const keyNames = Array.from({ length: keys }, (_, i) => `k${i}`);
  type Plan = { clientId: number; call: number; ret: number; point: number | undefined; unknown: boolean; input?: KvInput; output?: KvOutput };
  const plans: Plan[] = [];
  const clientTime = new Array<number>(clients).fill(0);
  for (let i = 0; i < ops; i++) {
    const clientId = i % clients;
    const call = clientTime[clientId] + rng.between(0, 3);
    const duration = rng.between(1, 10);
    const unknown = rng.next() < unknownRate;
    // A timed-out request takes effect at any later time (possibly after the client moved on), or never.
    const point = !unknown ? call + rng.between(0, duration) : rng.int(2) === 0 ? call + rng.between(0, 3 * duration) : undefined;
    plans.push({ clientId, call, ret: call + duration, point, unknown });
    clientTime[clientId] = call + duration;
  }
  // Sweep time: choose each input when it is called (so a CAS can expect what it last saw), apply it at its point.
  const events: { time: number; order: number; plan: number }[] = [];
  plans.forEach((p, i) => {
    events.push({ time: p.call, order: 0, plan: i });
    if (p.point !== undefined) events.push({ time: p.point, order: 1, plan: i });
  });
  events.sort((a, b) => a.time - b.time || a.order - b.order || a.plan - b.plan);
  const writerOf = new Map<string, KvOp>();
  for (const e of events) {
    const p = plans[e.plan];
    if (e.order === 0) p.input = chooseInput(rng, store, rng.pick(keyNames), `v${e.plan}`);
    else p.output = apply(store, p.input!);
  }
  const history = plans.map((p): KvOp => {
    const input = p.input!;
    if (p.unknown) return timedOut(p.clientId, input, p.call);
    // Some clients do not record revisions: the checker must cope with both.
    const output = rng.int(5) === 0 ? withoutRevisions(p.output!) : p.output!;
    return op(p.clientId, input, [p.call, p.ret], output);
  });
  history.forEach((h, i) => {
    const input = h.input;
    const applied = plans[i].point !== undefined;
    if ((input.op === 'put' || input.op === 'cas') && applied) writerOf.set(input.value, h);
  });
  return { history, writerOf };
}

function chooseInput(rng: Rng, store: MvccStore, key: string, freshValue: string): KvInput {
  const roll = rng.int(10);
  if (roll < 4) return get(key);
  if (roll < 7) return put(key, freshValue);
  if (roll < 8) return del(key);
  const current = store.get(key);
  if (rng.int(3) === 0) return casValue(key, rng.int(4) === 0 ? 'stale' : (current?.value ?? ''), freshValue);
  return casRev(key, rng.int(4) === 0 ? rng.between(0, store.revision) : (current?.modRevision ?? 0), freshValue);
}

function apply(store: MvccStore, input: KvInput): KvOutput {
  switch (input.op) {
    case 'get': {
      const kv = store.get(input.key);
      return read(kv?.value, kv?.modRevision ?? 0);
    }
    case 'put':
      return wrote(store.put(input.key, input.value).revision);
    case 'delete': {
      const r = store.delete(input.key);
      return r.events.length > 0 ? deleted(true, r.revision) : deleted(false);
    }
    case 'cas': {
      const r = store.txn([{ key: input.key, target: input.compare.target, op: '=', value: input.compare.value }], [{ type: 'put', key: input.key, value: input.value }]);
      return swapped(r.succeeded, r.succeeded ? r.revision : undefined);
    }
  }
}

function withoutRevisions(output: KvOutput): KvOutput {
  switch (output.op) {
    case 'get':
      return read(output.value);
    case 'put':
      return wrote();
    case 'delete':
      return deleted(output.deleted);
    case 'cas':
      return swapped(output.succeeded);
  }
}

type Mutation = 'phantom-read' | 'stale-read' | 'wrong-revision';

/**
 * A copy of the history with one read changed so that no linearization can exist, or undefined
 * if this history offers no read to change that way.
 *  - phantom-read: a read returns a value nobody wrote;
 *  - stale-read: a read returns the value of write W although another write W2 to the key ran
 *    entirely after W and entirely before the read (values are unique, so only W wrote it);
 *  - wrong-revision: a read reports a modRevision other than the one its (unique) value was written at.
 */
function mutate(rng: Rng, { history, writerOf }: Generated, mutation: Mutation): { history: KvOp[]; key: string } | undefined {
  const returned = (h: KvOp): h is ReturnedKvOp => h.outcome === 'returned';
  /** A write that certainly changed `key`, and when. */
  const effective = (w: KvOp, key: string): w is ReturnedKvOp =>
    returned(w) && w.input.key === key && (w.output.op === 'put' || (w.output.op === 'cas' && w.output.succeeded) || (w.output.op === 'delete' && w.output.deleted));
  const candidates: { i: number; output: KvOutput }[] = [];
  history.forEach((h, i) => {
    if (!returned(h) || h.output.op !== 'get') return;
    if (mutation === 'phantom-read') candidates.push({ i, output: read('phantom') });
    if (mutation === 'wrong-revision' && h.output.value !== undefined) {
      const writer = writerOf.get(h.output.value)!;
      if (returned(writer) && writer.output.op !== 'get' && writer.output.revision !== undefined) {
        candidates.push({ i, output: read(h.output.value, writer.output.revision + 1000) });
      }
    }
    if (mutation === 'stale-read') {
      for (const w of history) {
        if (!effective(w, h.input.key) || (w.input.op !== 'put' && w.input.op !== 'cas')) continue;
        const overwritten = history.some((w2) => w2 !== w && effective(w2, h.input.key) && w.return < w2.call && w2.return < h.call);
        if (overwritten) candidates.push({ i, output: read(w.input.value) });
      }
    }
  });
  if (candidates.length === 0) return undefined;
  const chosen = rng.pick(candidates);
  const original = history[chosen.i] as ReturnedKvOp;
  const mutated = history.slice();
  mutated[chosen.i] = { ...original, output: chosen.output };
  return { history: mutated, key: original.input.key };
}

describe('linearizability: randomized histories', () => {
  const shape = { ops: 60, clients: 4, keys: 3, unknownRate: 0.1 };

  it('accepts every history produced by a sequential execution (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = checkLinearizability(kvModel, generate(seed, shape).history);
      expect(r.result === 'not-linearizable' ? `seed ${seed}:\n${r.explanation}` : r.result).toBe('linearizable');
    }
  });

  it('detects every mutated history and names the mutated key', () => {
    const detected: Record<Mutation, number> = { 'phantom-read': 0, 'stale-read': 0, 'wrong-revision': 0 };
    for (let seed = 1; seed <= 100; seed++) {
      const generated = generate(seed, shape);
      for (const mutation of Object.keys(detected) as Mutation[]) {
        const mutated = mutate(new Rng(seed).fork(mutation), generated, mutation);
        if (mutated === undefined) continue;
        const r = checkLinearizability(kvModel, mutated.history);
        expect({ seed, mutation, result: r.result, key: r.result === 'not-linearizable' ? r.key : undefined }).toEqual({
          seed,
          mutation,
          result: 'not-linearizable',
          key: mutated.key,
        });
        detected[mutation]++;
      }
    }
    // Every kind of mutation was exercised on most seeds.
    for (const count of Object.values(detected)) expect(count).toBeGreaterThan(50);
  });

  it('checks a 1,000-operation history (5 clients, 10 keys) in a few thousand steps', () => {
    const { history } = generate(2024, { ops: 1000, clients: 5, keys: 10, unknownRate: 0.05 });
    const r = checkLinearizability(kvModel, history);
    expect(r.result).toBe('linearizable');
    expect(r.steps).toBeLessThan(10_000);
  });
});
