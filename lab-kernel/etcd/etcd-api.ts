import type { Compare, LeaseGrant, RangeResult, StoreEvent, TxnOp, TxnResult } from '../store/mvcc-store';

/**
 * What travels between etcd's clients (the API server) and its members over the simulated
 * network: a small subset of etcd's KV and Watch services.
 *
 *   { kind: 'txn', compares: [{ key, target: 'modRevision', op: '=', value: 7 }], success: [put ...] }
 *   => { kind: 'ok', result: { succeeded: true, revision: 12, ... } }
 *   => { kind: 'error', message: 'etcdserver: request timed out' }
 */
export type EtcdRequest =
  /**
   * A read. Linearizable by default: served only after the member confirms, through Raft's
   * ReadIndex, that it is up to date. `serializable: true` is etcd's --consistency=s: served
   * at once from the member's own store — fast, and possibly stale.
   */
  | { kind: 'range'; key: string; prefix: boolean; serializable?: boolean; revision?: number }
  /** A transaction, replicated through Raft before it is applied. */
  | { kind: 'txn'; compares: Compare[]; success: TxnOp[] }
  /** A lease of `ttl` seconds, granted through Raft; the leader revokes it when its time is up. */
  | { kind: 'lease-grant'; ttl: number }
  /** Follow changes from a revision; events come back as EtcdWatchEvent messages. */
  | { kind: 'watch'; watchId: string; key: string; prefix: boolean; fromRevision: number }
  | { kind: 'cancel-watch'; watchId: string };

export type EtcdReply = { kind: 'ok'; result: RangeResult | TxnResult | LeaseGrant } | { kind: 'error'; message: string };

/**
 * One batch of changes on a watch (never split across a revision), or the end of the watch.
 * `seq` numbers a watch's batches 1, 2, 3, ... as sent: a client that receives 1, 2, 4 knows
 * that 3 went missing (as TCP's sequence numbers tell, under etcd's gRPC streams).
 */
export type EtcdWatchEvent =
  | { kind: 'events'; watchId: string; seq: number; revision: number; events: StoreEvent[] }
  | { kind: 'watch-error'; watchId: string; message: string };

/** etcd's client-visible error texts. */
export const ERR_NO_LEADER = 'etcdserver: no leader';
export const ERR_TIMEOUT = 'etcdserver: request timed out';

/** `txn put /registry/pods/default/web`: how a request reads in the trace. */
export function describeEtcdRequest(req: EtcdRequest): string {
  switch (req.kind) {
    case 'range':
      return `range ${req.key}${req.prefix ? '*' : ''}${req.revision ? ` at revision ${req.revision}` : ''}${req.serializable ? ' (serializable)' : ''}`;
    case 'txn':
      return `txn ${req.success.map((op) => `${op.type} ${op.key}`).join(', ')}`;
    case 'watch':
      return `watch ${req.key}${req.prefix ? '*' : ''} from revision ${req.fromRevision}`;
    case 'cancel-watch':
      return `cancel watch ${req.watchId}`;
    case 'lease-grant':
      return `lease grant ttl ${req.ttl}s`;
  }
}
