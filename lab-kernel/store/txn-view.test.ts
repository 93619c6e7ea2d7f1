import { describe, expect, it } from 'vitest';
import { MvccStore } from './mvcc-store';
import { etcdctlTxn, txnOutcome, type Txn } from './txn-view';

const NS = '/registry/namespaces/demo';

/** Chapter 01's compare-and-swap: put if the key is unchanged since the read, else read it. */
const cas = (writer: string, modRevision: number): Txn => ({
  compares: [{ key: NS, target: 'modRevision', op: '=', value: modRevision }],
  success: [{ type: 'put', key: NS, value: JSON.stringify({ labels: { owner: writer } }) }],
  failure: [{ type: 'range', key: NS }],
});

describe('etcdctlTxn', () => {
  it('writes compares, then and else as etcdctl txn reads them, each section ended by an empty line', () => {
    expect(etcdctlTxn(cas('A', 2))).toBe(`mod("${NS}") = "2"\n\nput ${NS} '{"labels":{"owner":"A"}}'\n\nget ${NS}\n`);
  });

  it('names every target and operation the way etcdctl does', () => {
    const txn: Txn = {
      compares: [{ key: '/lock', target: 'createRevision', op: '=', value: 0 }, { key: '/n', target: 'version', op: '>', value: 1 }],
      success: [{ type: 'put', key: '/lock', value: 'me', lease: 255 }, { type: 'delete', key: '/n' }],
      failure: [{ type: 'range', key: '/n', prefix: true }],
    };
    expect(etcdctlTxn(txn)).toBe(`create("/lock") = "0"\nver("/n") > "1"\n\nput /lock 'me' --lease=ff\ndel /n\n\nget /n --prefix\n`);
  });
});

describe('txnOutcome', () => {
  it('shows that of two identical compares one takes then, and the other else, reading the winner’s value', () => {
    const store = new MvccStore();
    store.put(NS, JSON.stringify({ labels: {} }));
    const seen = store.get(NS)!.modRevision;
    const rows = ['A', 'B'].map((writer) => {
      const txn = cas(writer, seen);
      return txnOutcome(txn, store.txn(txn.compares, txn.success, txn.failure));
    });
    expect(rows).toEqual([
      { compare: `mod(${NS}) = 2`, succeeded: true, 'branch taken': 'then: put', 'store revision after': 3, 'range returned': '' },
      { compare: `mod(${NS}) = 2`, succeeded: false, 'branch taken': 'else: get', 'store revision after': 3, 'range returned': '{"labels":{"owner":"A"}} (modRevision 3)' },
    ]);
  });
});
