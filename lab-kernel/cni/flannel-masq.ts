import type { Netfilter } from '../net/netfilter';

/**
 * The rules flanneld keeps in its node's netfilter when it runs with --ip-masq (as kube-flannel's
 * DaemonSet runs it; flannel-io/flannel pkg/trafficmngr/iptables, masqRules and forwardRules):
 * traffic between pods stays un-NATed, whichever nodes they are on, and only what leaves the
 * cluster's pod network is masqueraded behind the node's address.
 *
 *   flannelMasqRules('10.244.0.0/16', '10.244.1.0/24')   // the nat rules, in order:
 *   // -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
 *   // -A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN   (kube-proxy masquerades those)
 *   // -A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 ... -j RETURN        (pod to pod: as it is)
 *   // -A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 ... -j RETURN        (pod to this node's pods: as it is)
 *   // -A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 ... -j RETURN      (from outside to this node's pods: as it is)
 *   // -A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 ... -j MASQUERADE --random-fully   (pod to the outside world)
 *   // -A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 ... -j MASQUERADE --random-fully (the node to other nodes' pods)
 *
 * and in filter, FORWARD jumps to FLANNEL-FWD, which accepts anything from or to the network.
 * Simplified: flanneld re-checks its rules every 5 s (--iptables-resync) and puts back any that
 * went missing; here they are written once, when the node's subnet is known.
 */
export const FLANNEL_POSTROUTING = 'FLANNEL-POSTRTG';
export const FLANNEL_FORWARD = 'FLANNEL-FWD';
/** kube-proxy's masquerade mark, which flannel leaves to kube-proxy (trafficmngr.KubeProxyMark). */
const KUBE_PROXY_MARK = '0x4000/0x4000';
const MASQ = '-m comment --comment "flanneld masq"';
const FORWARD = '-m comment --comment "flanneld forward"';

export interface FlannelRule {
  table: 'nat' | 'filter';
  chain: string;
  spec: string;
}

/** The rules for a cluster network and this node's subnet, in the order flanneld appends them. */
export function flannelMasqRules(clusterCIDR: string, podCIDR: string): FlannelRule[] {
  const nat = (chain: string, spec: string): FlannelRule => ({ table: 'nat', chain, spec });
  const filter = (chain: string, spec: string): FlannelRule => ({ table: 'filter', chain, spec });
  return [
    nat('POSTROUTING', `${MASQ} -j ${FLANNEL_POSTROUTING}`),
    nat(FLANNEL_POSTROUTING, `-m mark --mark ${KUBE_PROXY_MARK} ${MASQ} -j RETURN`),
    nat(FLANNEL_POSTROUTING, `-s ${podCIDR} -d ${clusterCIDR} ${MASQ} -j RETURN`),
    nat(FLANNEL_POSTROUTING, `-s ${clusterCIDR} -d ${podCIDR} ${MASQ} -j RETURN`),
    nat(FLANNEL_POSTROUTING, `! -s ${clusterCIDR} -d ${podCIDR} ${MASQ} -j RETURN`),
    nat(FLANNEL_POSTROUTING, `-s ${clusterCIDR} ! -d 224.0.0.0/4 ${MASQ} -j MASQUERADE --random-fully`),
    nat(FLANNEL_POSTROUTING, `! -s ${clusterCIDR} -d ${clusterCIDR} ${MASQ} -j MASQUERADE --random-fully`),
    filter('FORWARD', `${FORWARD} -j ${FLANNEL_FORWARD}`),
    filter(FLANNEL_FORWARD, `-s ${clusterCIDR} ${FORWARD} -j ACCEPT`),
    filter(FLANNEL_FORWARD, `-d ${clusterCIDR} ${FORWARD} -j ACCEPT`),
  ];
}

/** Writes the rules into a node's netfilter: each chain made if missing, each rule appended unless there. */
export function setupFlannelMasq(nf: Netfilter, clusterCIDR: string, podCIDR: string): void {
  for (const [table, chain] of [['nat', FLANNEL_POSTROUTING], ['filter', FLANNEL_FORWARD]] as const) if (!nf.tables[table].has(chain)) nf.newChain(table, chain);
  for (const rule of flannelMasqRules(clusterCIDR, podCIDR)) nf.appendUnique(rule.table, rule.chain, rule.spec);
}
