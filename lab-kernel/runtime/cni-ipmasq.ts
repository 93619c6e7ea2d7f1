import { createHash } from 'crypto';
import type { Netfilter } from '../net/netfilter';

/**
 * The bridge plugin's ipMasq (containernetworking/plugins, pkg/ip/ipmasq_iptables_linux.go):
 * a chain per container in the node's nat table, named from a hash of the network's name and
 * the container's ID (pkg/utils FormatChainName: 'CNI-' and the first 24 hex digits of
 * SHA-512(name + id)), every rule commented with both. Traffic from the pod to its own subnet is
 * left alone; anything else but multicast is masqueraded behind the node's address:
 *
 *   setupIpMasq(node.netfilter, '10.244.1.2/24', 'containerd-net', '3f2a...')
 *   // iptables-save -t nat:
 *   // -A POSTROUTING -s 10.244.1.2/32 -m comment --comment "name: \"containerd-net\" id: \"3f2a...\"" -j CNI-7c3b...
 *   // -A CNI-7c3b... -d 10.244.1.0/24 -m comment --comment "name: ..." -j ACCEPT
 *   // -A CNI-7c3b... ! -d 224.0.0.0/4 -m comment --comment "name: ..." -j MASQUERADE
 *   teardownIpMasq(node.netfilter, '10.244.1.2/24', 'containerd-net', '3f2a...')   // all three gone, and the chain
 *
 * The subnet is the pod's own (the node's pod CIDR), not the cluster's: with this plugin alone,
 * traffic to a pod on another node leaves masqueraded too. (Flannel runs bridge with ipMasq
 * off and masquerades only what leaves the cluster CIDR.)
 */
export function cniChainName(network: string, containerId: string): string {
  return `CNI-${createHash('sha512').update(network + containerId).digest('hex')}`.slice(0, 28);
}

/** utils.FormatComment: 'name: "containerd-net" id: "3f2a..."'. */
export function cniComment(network: string, containerId: string): string {
  return `name: ${JSON.stringify(network)} id: ${JSON.stringify(containerId)}`;
}

/** SetupIPMasq for one of the pod's addresses ('10.244.1.2/24'): the chain if missing, each rule unless there. */
export function setupIpMasq(nf: Netfilter, address: string, network: string, containerId: string): void {
  const chain = cniChainName(network, containerId);
  const comment = `-m comment --comment ${quoted(cniComment(network, containerId))}`;
  if (!nf.tables.nat.has(chain)) nf.newChain('nat', chain);
  nf.appendUnique('nat', chain, `-d ${address} -j ACCEPT ${comment}`);
  nf.appendUnique('nat', chain, `! -d 224.0.0.0/4 -j MASQUERADE ${comment}`);
  nf.appendUnique('nat', 'POSTROUTING', `-s ${address.split('/')[0]} -j ${chain} ${comment}`);
}

/** TeardownIPMasq: the POSTROUTING jump (by address, and by subnet as older versions wrote it), then the chain; what is missing is no error. */
export function teardownIpMasq(nf: Netfilter, address: string, network: string, containerId: string): void {
  const chain = cniChainName(network, containerId);
  const comment = `-m comment --comment ${quoted(cniComment(network, containerId))}`;
  const ignoringMissing = (f: () => void) => {
    try {
      f();
    } catch {
      // isNotExist: the rule or the chain is gone already.
    }
  };
  if (!nf.tables.nat.has(chain)) return;
  ignoringMissing(() => nf.delete('nat', 'POSTROUTING', `-s ${address.split('/')[0]} -j ${chain} ${comment}`));
  ignoringMissing(() => nf.delete('nat', 'POSTROUTING', `-s ${address} -j ${chain} ${comment}`));
  nf.flush('nat', chain);
  nf.deleteChain('nat', chain);
}

/** As a shell would quote it for iptables: in double quotes, inner quotes escaped. */
function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
