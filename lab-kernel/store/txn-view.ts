import type { Compare, TxnOp, TxnResult } from './mvcc-store';

/**
 * A transaction as a chapter shows it: what a client sends, in `etcdctl txn`'s own input
 * syntax, and how it went, as a table row.
 *
 *   const txn: Txn = {
 *     compares: [{ key: '/k', target: 'modRevision', op: '=', value: 2 }],
 *     success: [{ type: 'put', key: '/k', value: '{"a":1}' }],
 *     failure: [{ type: 'range', key: '/k' }],
 *   };
 *   etcdctlTxn(txn)
 *   // => 'mod("/k") = "2"\n\nput /k \'{"a":1}\'\n\nget /k\n'   (compares, then, else: each ends with an empty line)
 *   txnOutcome(txn, store.txn(txn.compares, txn.success, txn.failure ?? []))
 *   // => { compare: 'mod(/k) = 2', succeeded: false, 'branch taken': 'else: get', 'store revision after': 3,
 *   //      'range returned': '{"a":0} (modRevision 3)' }
 */
export interface Txn {
  compares: Compare[];
  /** The `then` branch: run when every compare holds. */
  success: TxnOp[];
  /** The `else` branch (default: nothing). */
  failure?: TxnOp[];
}

const TARGET = { modRevision: 'mod', createRevision: 'create', version: 'ver', value: 'value' } as const;

function compareText(c: Compare, quoted: boolean): string {
  const q = (s: string | number) => (quoted ? JSON.stringify(String(s)) : String(s));
  return `${TARGET[c.target]}(${q(c.key)}) ${c.op} ${q(c.value)}`;
}

/** 'put /k \'v\'', 'del /k', 'get /k --prefix': one operation as etcdctl reads it. */
function opText(op: TxnOp): string {
  if (op.type === 'put') return `put ${op.key} '${op.value}'${op.lease ? ` --lease=${op.lease.toString(16)}` : ''}`;
  if (op.type === 'delete') return `del ${op.key}`;
  return `get ${op.key}${op.prefix ? ' --prefix' : ''}`;
}

/** The transaction as `etcdctl txn` (interactive) reads it: compares, then, else, each section ended by an empty line. */
export function etcdctlTxn(txn: Txn): string {
  return [...txn.compares.map((c) => compareText(c, true)), '', ...txn.success.map(opText), '', ...(txn.failure ?? []).map(opText), ''].join('\n');
}

export interface TxnOutcome {
  compare: string;
  succeeded: boolean;
  'branch taken': string;
  'store revision after': number;
  /** What the branch's reads returned: each key's value and modRevision. */
  'range returned': string;
}

export function txnOutcome(txn: Txn, result: TxnResult): TxnOutcome {
  const branch = result.succeeded ? txn.success : (txn.failure ?? []);
  const verbs = branch.map((op) => opText(op).split(' ')[0]).join(', ') || '(nothing)';
  const read = result.responses.flatMap((r) => (r.type === 'range' ? r.kvs.map((kv) => `${kv.value} (modRevision ${kv.modRevision})`) : []));
  return {
    compare: txn.compares.map((c) => compareText(c, false)).join(' and ') || '(none)',
    succeeded: result.succeeded,
    'branch taken': `${result.succeeded ? 'then' : 'else'}: ${verbs}`,
    'store revision after': result.revision,
    'range returned': read.join('; '),
  };
}
