import type { KeyValue, RangeResult } from '../store/mvcc-store';
import { describeEtcdRequest, type EtcdRequest } from './etcd-api';
import type { EtcdCluster } from './etcd-cluster';

/**
 * `etcdctl --endpoints=<member> get <key>`, from a client called 'etcdctl' that sits beside one
 * member: the request and the answer travel over the simulated network, so they show in the
 * trace and a partition can cut etcdctl off with its member. Linearizable by default (the
 * member first confirms through Raft's ReadIndex that it is up to date); `serializable` is
 * `--consistency=s`, answered at once from the member's own copy. Runs the simulation until
 * the answer is back, or `timeoutMs` has passed.
 *
 *   etcdctlGet(etcd, 'etcd-0', '/config/color')                          // => 'blue (revision 5)'
 *   etcdctlGet(etcd, 'etcd-0', '/config/color', { serializable: true })  // => 'blue (revision 5)', even from a cut-off member
 *   etcdctlGet(etcd, 'etcd-0', '/config/color')                          // cut off from the majority: 'etcdserver: request timed out'
 *
 * `show` turns the key's value into the answer's text (the default: the value and its modRevision).
 */
export const ETCDCTL = 'etcdctl';

export interface EtcdctlGetOptions {
  serializable?: boolean;
  show?: (kv: KeyValue) => string;
  /** How long to wait for the answer, in virtual ms (default 10 s). */
  timeoutMs?: number;
}

const showValue = (kv: KeyValue) => `${kv.value} (revision ${kv.modRevision})`;

export function etcdctlGet(etcd: EtcdCluster, member: string, key: string, options: EtcdctlGetOptions = {}): string {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const show = options.show ?? showValue;
  const req: EtcdRequest = { kind: 'range', key, prefix: false, serializable: options.serializable ?? false };
  let answer: string | undefined;
  etcd.net.send(ETCDCTL, member, 'request', describeEtcdRequest(req), { etcd: req.kind }, () =>
    etcd.member(member)?.handle(
      req,
      (reply) => {
        const kvs = reply.kind === 'ok' ? (reply.result as RangeResult).kvs : [];
        const text = reply.kind === 'error' ? reply.message : kvs.length === 0 ? '(not found)' : show(kvs[0]);
        etcd.net.send(member, ETCDCTL, 'response', text, { etcd: reply.kind }, () => (answer = text));
      },
      () => undefined,
    ),
  );
  etcd.sim.runUntil(() => answer !== undefined, timeoutMs);
  return answer ?? `(no answer within ${timeoutMs / 1000} s)`;
}
