/**
 * A linearizability checker: given what clients saw (who called what, when, and what came
 * back), decide whether some single, one-at-a-time order of the same operations explains it.
 *
 * WHAT LINEARIZABLE MEANS
 *
 * Each operation occupies an interval of time, from its call to its return. A history is
 * linearizable if we can pick, inside each interval, one instant at which the operation "took
 * effect" (its linearization point), such that running the operations one after another in
 * the order of those instants gives exactly the outputs the clients saw. So:
 *
 *   client A: |--- put(x, 1) ---|
 *   client B:                       |-- get(x) -> 0 --|      NOT linearizable: the put had
 *                                                            finished before the get began
 *   client A: |--- put(x, 1) ---|
 *   client B:          |-- get(x) -> 0 --|                   linearizable (get goes first)
 *   client B:          |-- get(x) -> 1 --|                   linearizable too (put goes first)
 *
 * Operations that overlap may be ordered either way; an operation that returned before
 * another was called must come first. That real-time rule is what makes a store "behave like a
 * single copy", the promise etcd makes and Raft exists to keep.
 *
 * CHECKING IT: A SEARCH (WING & GONG)
 *
 * Write the history as a list of call and return entries sorted by time. Walk it from the
 * start: every call met before the first return is an operation that could take effect next
 * (it is concurrent with everything still pending). Try one: ask the model (a sequential
 * specification, e.g. "a get returns the last value put") whether it may return what it
 * returned from the current state. If so, take it out of the list (its call and its return),
 * move to the state it leaves, and start again from the head of the list. If the walk reaches
 * a return entry, that operation finished without having been placed: a dead end, so undo the
 * last choice and try the next candidate after it. When every operation is placed, the order
 * of choices is a linearization; when there is nothing left to undo, there is none.
 *
 * LOWE'S IMPROVEMENTS: JUST IN TIME, WITH MEMORY
 *
 * Just in time: the walk only ever considers operations that are open at its current point
 * (called, not yet placed), and must settle as soon as it meets a return. So it never builds
 * an order the real-time rule forbids, and it notices a dead end at the first operation that
 * cannot be explained, not after guessing a whole order.
 *
 * Memory: the search above is still exponential, as n concurrent writes can be ordered n! ways.
 * But what matters for the future is only WHICH operations are already placed (a set, kept as
 * a bitset) and the STATE of the model, not the order that got there. If put(x,1) then
 * put(x,2) leaves x = 2, so does any other path that placed the same operations and ended in
 * x = 2. So every (bitset, state) pair is explored at most once: a cache records each pair the
 * search enters, and a step into a known pair is skipped. Twelve concurrent writes then cost
 * about 25,000 configurations (which writes are placed, and which was last) instead of 12!,
 * some 479 million, orders. This is the algorithm of Lowe's "Testing
 * for linearizability" (2017), the one the porcupine checker uses.
 *
 * PARTITIONING BY KEY (P-COMPOSITIONALITY)
 *
 * Checking 1,000 operations at once can still blow up; checking 10 keys of 100 operations each
 * does not. Splitting is sound when every operation touches one part only (one key): a history
 * is linearizable if and only if each key's sub-history is (Herlihy & Wing call this locality).
 * Why: take a linearization of every key, i.e. a linearization point inside each operation's
 * interval, chosen per key. Put all those points on one shared timeline. For each key, its
 * operations still run in the same order, and an operation on one key cannot change what an
 * operation on another key returns, so the merged order explains every output; and every point
 * still lies inside its own operation's interval, so the real-time rule holds. The converse is
 * immediate: a global linearization, restricted to one key, is a linearization of that key.
 * (This is why the KV model below has only single-key operations; a multi-key transaction or
 * a range read would couple keys, and the history would have to be checked as a whole.)
 *
 * UNKNOWN OUTCOMES
 *
 * A client that timed out does not know whether its request took effect; it may still take
 * effect at ANY later time, even after the client moved on. Such an operation is treated as
 * returning at +infinity with any output acceptable: it may be placed anywhere after its call,
 * or nowhere at all (not taking effect and taking effect after everything else look the same).
 *
 * Ties count as overlap: an operation that returns at t and one called at t may be ordered
 * either way. The search counts steps (one per candidate tried or choice undone) against a
 * budget and answers 'timeout' (unknown) when it is spent; it never reads a clock.
 *
 *   checkLinearizability(kvModel, [
 *     { clientId: 0, input: { op: 'put', key: 'x', value: '1' }, call: 0, outcome: 'returned', output: { op: 'put' }, return: 10 },
 *     { clientId: 1, input: { op: 'get', key: 'x' }, call: 20, outcome: 'returned', output: { op: 'get', value: undefined }, return: 30 },
 *   ])
 *   // => { result: 'not-linearizable', key: 'x', partialLinearization: [the put], unplaceable: the get,
 *   //      explanation: "Key 'x' is not linearizable ...", steps: 4 }
 */

/**
 * A sequential specification: what one operation does to a state, and which outputs it may give.
 *
 *   step(state, input, output)  // => [true, nextState] if input may return output from state, else [false, state]
 *
 * `output` is undefined when the outcome is unknown (the client timed out): accept it, and
 * return the state it leaves if it did take effect. Two states are the same state exactly when
 * `stateKey` gives the same string: it serves as both the hash and the equality of the cache.
 */
export interface Model<State, Input, Output> {
  init(): State;
  step(state: State, input: Input, output: Output | undefined): [boolean, State];
  stateKey(state: State): string;
  /** Which independent part (for a store: the key) an operation touches; without it, the history is checked whole. */
  partition?(input: Input): string;
  describeOperation(input: Input, output: Output | undefined): string;
  describeState(state: State): string;
}

interface OperationBase<Input> {
  /** Who issued it (used in messages). */
  clientId: number | string;
  input: Input;
  /** When it was called, in virtual time. */
  call: number;
}

/** An operation whose answer the client received. */
export interface ReturnedOperation<Input, Output> extends OperationBase<Input> {
  outcome: 'returned';
  output: Output;
  return: number;
}

/** An operation that timed out: it may or may not take effect, at any time after its call. */
export interface UnknownOperation<Input> extends OperationBase<Input> {
  outcome: 'unknown';
}

export type Operation<Input, Output> = ReturnedOperation<Input, Output> | UnknownOperation<Input>;

export interface CheckOptions {
  /** How many search steps to spend before answering 'timeout' (default DEFAULT_MAX_STEPS). */
  maxSteps?: number;
}

/**
 * A few seconds of search (one to two million steps a second). A well-behaved history needs
 * a step or two per operation: 1,000 operations on 10 keys take about 1,200.
 */
export const DEFAULT_MAX_STEPS = 5_000_000;

/**
 * `key` names the failing partition: the model's partition of it, or undefined if the model
 * does not partition. `steps` is how many search steps were spent in all.
 */
export type LinearizabilityResult<Input, Output> =
  | { result: 'linearizable'; steps: number }
  | {
      result: 'not-linearizable';
      key: string | undefined;
      /** The longest prefix of a linearization the search found, in order. */
      partialLinearization: Operation<Input, Output>[];
      /** The operation that had to come next (it had returned) but fits nowhere. */
      unplaceable: Operation<Input, Output>;
      explanation: string;
      steps: number;
    }
  | { result: 'timeout'; key: string | undefined; explanation: string; steps: number };

/**
 * Checks a history against a model, one partition (key) at a time, in key order; stops at the
 * first partition that is not linearizable or that exhausts the step budget.
 *
 *   checkLinearizability(kvModel, history)                      // => { result: 'linearizable', steps: 1200 }
 *   checkLinearizability(kvModel, history, { maxSteps: 100 })   // => { result: 'timeout', key: 'x', ... } if 100 steps are not enough
 */
export function checkLinearizability<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
  options: CheckOptions = {},
): LinearizabilityResult<Input, Output> {
  for (const op of history) {
    if (op.outcome === 'returned' && op.return < op.call) {
      throw new RangeError(`${model.describeOperation(op.input, op.output)} (client ${op.clientId}) returns at ${op.return}, before its call at ${op.call}`);
    }
  }
  const budget = { max: options.maxSteps ?? DEFAULT_MAX_STEPS, spent: 0 };
  for (const [key, ops] of partitionHistory(model, history)) {
    const found = searchPartition(model, ops, budget);
    const where = key === undefined ? 'The history' : `Key '${key}'`;
    if (found.result === 'timeout') {
      const explanation =
        `${where} (${ops.length} operations) could not be decided within ${budget.spent} steps: ` +
        `it may or may not be linearizable. Raise maxSteps to search longer.`;
      return { result: 'timeout', key, explanation, steps: budget.spent };
    }
    if (found.result === 'not-linearizable') {
      const partialLinearization = found.prefix.map((i) => ops[i]);
      const unplaceable = ops[found.blocked];
      const explanation = explain(model, where, ops, found);
      return { result: 'not-linearizable', key, partialLinearization, unplaceable, explanation, steps: budget.spent };
    }
  }
  return { result: 'linearizable', steps: budget.spent };
}

/** The history split by the model's partition, in key order (or whole, under the key undefined). */
function partitionHistory<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly Operation<Input, Output>[],
): [string | undefined, Operation<Input, Output>[]][] {
  if (model.partition === undefined) return history.length === 0 ? [] : [[undefined, [...history]]];
  const byKey = new Map<string, Operation<Input, Output>[]>();
  for (const op of history) {
    const key = model.partition(op.input);
    let ops = byKey.get(key);
    if (ops === undefined) byKey.set(key, (ops = []));
    ops.push(op);
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The deepest point the search reached, as indices into the partition's operations: `prefix`
 * was placed, `blocked` had returned so it had to come next, `candidates` (blocked among them)
 * were all the operations that could have come next, and none fits `stateAfter`.
 */
interface DeadEnd<State> {
  prefix: number[];
  blocked: number;
  candidates: number[];
  stateAfter: State;
}

type SearchOutcome<State> = { result: 'linearizable' } | { result: 'timeout' } | ({ result: 'not-linearizable' } & DeadEnd<State>);

/**
 * Lowe's search over one partition. The history is a doubly linked list of entries (node 0 is
 * the head): placing an operation unlinks its call and its return ("lift"), undoing a choice
 * links them back ("unlift"). Links are undone in the reverse order they were made, so each
 * node still remembers its old neighbours and relinking is O(1).
 */
function searchPartition<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: Operation<Input, Output>[],
  budget: { max: number; spent: number },
): SearchOutcome<State> {
  const n = ops.length;
  // Entries sorted by time; calls before returns at the same time; an unknown outcome returns at +infinity.
  const entries: { op: number; isCall: boolean; time: number }[] = [];
  ops.forEach((op, i) => {
    entries.push({ op: i, isCall: true, time: op.call });
    entries.push({ op: i, isCall: false, time: op.outcome === 'returned' ? op.return : Infinity });
  });
  entries.sort((a, b) => (a.time !== b.time ? (a.time < b.time ? -1 : 1) : a.isCall !== b.isCall ? (a.isCall ? -1 : 1) : a.op - b.op));

  const NIL = -1;
  const next = new Int32Array(2 * n + 1);
  const prev = new Int32Array(2 * n + 1);
  const opOf = new Int32Array(2 * n + 1);
  const isCall = new Uint8Array(2 * n + 1);
  const returnOf = new Int32Array(n); // the return node of each operation
  entries.forEach((e, k) => {
    const node = k + 1;
    opOf[node] = e.op;
    isCall[node] = e.isCall ? 1 : 0;
    if (!e.isCall) returnOf[e.op] = node;
    prev[node] = k;
    next[node] = node === 2 * n ? NIL : node + 1;
  });
  next[0] = n === 0 ? NIL : 1;
  prev[0] = NIL;

  const lift = (call: number): void => {
    next[prev[call]] = next[call];
    prev[next[call]] = prev[call]; // a call always has a successor: its own return
    const ret = returnOf[opOf[call]];
    next[prev[ret]] = next[ret];
    if (next[ret] !== NIL) prev[next[ret]] = prev[ret];
  };
  const unlift = (call: number): void => {
    const ret = returnOf[opOf[call]];
    next[prev[ret]] = ret;
    if (next[ret] !== NIL) prev[next[ret]] = ret;
    next[prev[call]] = call;
    prev[next[call]] = call;
  };

  // The set of placed operations, one bit per operation.
  const placed = new Uint32Array(Math.ceil(n / 32));
  const toggle = (i: number): void => {
    placed[i >>> 5] ^= 1 << (i & 31);
  };
  // Every (placed, state) pair entered so far, as one string: the bitset's words, then the state's key.
  const visited = new Set<string>();
  /** Records (placed, state) as entered; false if it was entered before. */
  const enter = (state: State): boolean => {
    const pair = `${placed.join(',')}|${model.stateKey(state)}`;
    if (visited.has(pair)) return false;
    visited.add(pair);
    return true;
  };

  let state = model.init();
  const choices: { call: number; before: State }[] = [];
  let unplacedReturned = ops.filter((op) => op.outcome === 'returned').length;
  let deepest: DeadEnd<State> | undefined;
  let node = next[0];
  // Only returned operations must be placed: unknown ones sort after every real return, so the walk never dead-ends on one.
  while (unplacedReturned > 0) {
    if (budget.spent >= budget.max) return { result: 'timeout' };
    budget.spent++;
    if (isCall[node] === 1) {
      const op = ops[opOf[node]];
      const [ok, after] = model.step(state, op.input, op.outcome === 'returned' ? op.output : undefined);
      if (ok) {
        toggle(opOf[node]);
        if (enter(after)) {
          choices.push({ call: node, before: state });
          state = after;
          lift(node);
          if (op.outcome === 'returned') unplacedReturned--;
          node = next[0];
          continue;
        }
        toggle(opOf[node]);
      }
      node = next[node];
    } else {
      // This operation returned without being placed: a dead end.
      if (deepest === undefined || choices.length > deepest.prefix.length) {
        const candidates: number[] = [];
        // Every node before this first return is a call: an operation that could have come next.
        for (let c = next[0]; c !== node; c = next[c]) candidates.push(opOf[c]);
        deepest = { prefix: choices.map((c) => opOf[c.call]), blocked: opOf[node], candidates, stateAfter: state };
      }
      const undo = choices.pop();
      if (undo === undefined) return { result: 'not-linearizable', ...deepest };
      state = undo.before;
      toggle(opOf[undo.call]);
      unlift(undo.call);
      if (ops[opOf[undo.call]].outcome === 'returned') unplacedReturned++;
      node = next[undo.call];
    }
  }
  return { result: 'linearizable' };
}

const SHOWN_PREFIX = 10;

/**
 * The grader's message. At the deepest dead end the search reached, no candidate fits the
 * state at all (had one fitted, the search would have gone deeper), which is what makes this
 * prefix a good witness: it says where every continuation stops.
 */
function explain<State, Input, Output>(
  model: Model<State, Input, Output>,
  where: string,
  ops: Operation<Input, Output>[],
  found: DeadEnd<State>,
): string {
  const describe = (i: number): string => {
    const op = ops[i];
    const what = model.describeOperation(op.input, op.outcome === 'returned' ? op.output : undefined);
    const when = op.outcome === 'returned' ? `called at ${op.call}, returned at ${op.return}` : `called at ${op.call}, outcome unknown`;
    return `client ${op.clientId}: ${what} [${when}]`;
  };
  const lines = [`${where} is not linearizable (${ops.length} operations).`];
  const { prefix } = found;
  if (prefix.length === 0) {
    lines.push(`No operation can be placed first. The initial state is: ${model.describeState(found.stateAfter)}.`);
  } else {
    lines.push(`The longest linearizable prefix found has ${prefix.length} operation${prefix.length === 1 ? '' : 's'}, in this order:`);
    const from = Math.max(0, prefix.length - SHOWN_PREFIX);
    if (from > 0) lines.push(`  ... ${from} earlier operation${from === 1 ? '' : 's'}`);
    for (let k = from; k < prefix.length; k++) lines.push(`  ${k + 1}. ${describe(prefix[k])}`);
    lines.push(`After ${prefix.length === 1 ? 'it' : 'them'} the state is: ${model.describeState(found.stateAfter)}.`);
  }
  // A dead end is always met at the return of an operation that did return.
  const blocked = ops[found.blocked] as ReturnedOperation<Input, Output>;
  lines.push(
    `Cannot be placed next: ${describe(found.blocked)}. It returned at ${blocked.return}, so it must take effect by then, but from this state it cannot give that result.`,
  );
  const others = found.candidates.filter((i) => i !== found.blocked);
  if (others.length > 0) {
    lines.push(`Nor can any other operation that could go first:`);
    for (const i of others) lines.push(`  - ${describe(i)}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// An etcd-like key-value model.
// ---------------------------------------------------------------------------------------------

/**
 * Single-key operations, as the replicated store exposes them. `cas` compares the key's
 * modRevision or value and, if equal, puts `value` (etcd's txn with one compare and one put).
 * As in etcd (and MvccStore), a missing key has modRevision 0, and any compare of its value fails.
 */
export type KvInput =
  | { op: 'get'; key: string }
  | { op: 'put'; key: string; value: string }
  | { op: 'delete'; key: string }
  | { op: 'cas'; key: string; compare: { target: 'modRevision'; value: number } | { target: 'value'; value: string }; value: string };

/**
 * What came back. Revisions are optional: when the client recorded them they are checked too
 * (a read must report the modRevision of the write it sees; a key's writes get increasing
 * revisions), when not, only values are.
 */
export type KvOutput =
  | { op: 'get'; value: string | undefined; modRevision?: number }
  | { op: 'put'; revision?: number }
  | { op: 'delete'; deleted: boolean; revision?: number }
  | { op: 'cas'; succeeded: boolean; revision?: number };

/**
 * One key's state (the model is partitioned by key).
 *  - value: undefined when the key is absent;
 *  - modRevision: 0 when absent; undefined when the last write's revision was never reported
 *    (a write with an unknown outcome, or a client that did not record it);
 *  - floor: the highest revision known to have changed the key; any later write is above it.
 */
export interface KvState {
  value: string | undefined;
  modRevision: number | undefined;
  floor: number;
}

/**
 * The etcd-like KV model, partitioned by key.
 *
 *   kvModel.step({ value: 'a', modRevision: 5, floor: 5 }, { op: 'get', key: 'k' }, { op: 'get', value: 'a', modRevision: 5 })
 *   // => [true, the same state]
 *   kvModel.step({ value: 'a', modRevision: 5, floor: 5 }, cas 'k' if modRevision = 4 put 'b', { op: 'cas', succeeded: true })
 *   // => [false, ...]: the key is at modRevision 5, so that compare fails
 */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => ({ value: undefined, modRevision: 0, floor: 0 }),

  step(state, input, output) {
    if (output === undefined) return takeEffect(state, input);
    if (output.op !== input.op) throw new TypeError(`a ${input.op} on '${input.key}' has the output of a ${output.op}: the history is malformed`);
    switch (input.op) {
      case 'get': {
        const out = output as Extract<KvOutput, { op: 'get' }>;
        if (out.value !== state.value) return [false, state];
        if (out.modRevision === undefined) return [true, state];
        if (state.modRevision !== undefined) return [out.modRevision === state.modRevision, state];
        // The last write's revision was never reported; this read tells it.
        if (out.modRevision <= state.floor) return [false, state];
        return [true, { value: state.value, modRevision: out.modRevision, floor: out.modRevision }];
      }
      case 'put':
        return write(state, input.value, (output as Extract<KvOutput, { op: 'put' }>).revision);
      case 'delete': {
        const out = output as Extract<KvOutput, { op: 'delete' }>;
        if (out.deleted !== (state.value !== undefined)) return [false, state];
        return out.deleted ? write(state, undefined, out.revision) : [true, state];
      }
      case 'cas': {
        const out = output as Extract<KvOutput, { op: 'cas' }>;
        const cas = casCompare(state, input.compare);
        if (!out.succeeded) return [!cas.mustHold, state];
        return cas.canHold ? write(cas.ifHeld, input.value, out.revision) : [false, state];
      }
    }
  },

  stateKey: (s) => `${s.value === undefined ? '-' : JSON.stringify(s.value)}@${s.modRevision ?? '?'}>${s.floor}`,

  partition: (input) => input.key,

  describeOperation(input, output) {
    const call =
      input.op === 'get' || input.op === 'delete'
        ? `${input.op}('${input.key}')`
        : input.op === 'put'
          ? `put('${input.key}', '${input.value}')`
          : `cas('${input.key}', if ${input.compare.target} = ${JSON.stringify(input.compare.value)} put '${input.value}')`;
    if (output === undefined) return `${call} -> ? (outcome unknown)`;
    const at = (revision: number | undefined) => (revision === undefined ? '' : ` at revision ${revision}`);
    switch (output.op) {
      case 'get':
        return `${call} -> ${output.value === undefined ? 'absent' : `'${output.value}'`}${output.modRevision === undefined ? '' : ` (modRevision ${output.modRevision})`}`;
      case 'put':
        return `${call} -> ok${at(output.revision)}`;
      case 'delete':
        return `${call} -> ${output.deleted ? `deleted${at(output.revision)}` : 'nothing to delete'}`;
      case 'cas':
        return `${call} -> ${output.succeeded ? `succeeded${at(output.revision)}` : 'failed'}`;
    }
  },

  describeState(s) {
    if (s.value === undefined) return s.floor === 0 ? 'the key is absent' : `the key is absent (last changed at revision ${s.floor})`;
    const revision = s.modRevision !== undefined ? `modRevision ${s.modRevision}` : `modRevision not reported, above ${s.floor}`;
    return `the key holds '${s.value}' (${revision})`;
  },
};

/**
 * The effect of an operation whose outcome is unknown, if it did take effect: reads change
 * nothing; a CAS that would fail changes nothing (the search covers "it failed" by not placing
 * it at all, which looks the same); writes get a revision nobody reported.
 */
function takeEffect(state: KvState, input: KvInput): [boolean, KvState] {
  switch (input.op) {
    case 'get':
      return [true, state];
    case 'put':
      return write(state, input.value, undefined);
    case 'delete':
      return state.value === undefined ? [true, state] : write(state, undefined, undefined);
    case 'cas': {
      const cas = casCompare(state, input.compare);
      return cas.canHold ? write(cas.ifHeld, input.value, undefined) : [true, state];
    }
  }
}

/**
 * Whether a CAS compare holds. It is certain, except for a modRevision compare against a write
 * whose revision was never reported: that compare may hold (if the asked revision is above the
 * floor), and if it did, it tells the revision (`ifHeld` records it).
 */
function casCompare(state: KvState, compare: Extract<KvInput, { op: 'cas' }>['compare']): { canHold: boolean; mustHold: boolean; ifHeld: KvState } {
  if (compare.target === 'value') {
    const holds = state.value !== undefined && state.value === compare.value;
    return { canHold: holds, mustHold: holds, ifHeld: state };
  }
  if (state.modRevision !== undefined) {
    const holds = state.modRevision === compare.value;
    return { canHold: holds, mustHold: holds, ifHeld: state };
  }
  const ifHeld = { value: state.value, modRevision: compare.value, floor: compare.value };
  return { canHold: compare.value > state.floor, mustHold: false, ifHeld };
}

/** The key now holds `value` (undefined: deleted), written at `revision` if it was reported. */
function write(state: KvState, value: string | undefined, revision: number | undefined): [boolean, KvState] {
  if (revision === undefined) return [true, { value, modRevision: value === undefined ? 0 : undefined, floor: state.floor }];
  if (revision <= state.floor) return [false, state];
  return [true, { value, modRevision: value === undefined ? 0 : revision, floor: revision }];
}
