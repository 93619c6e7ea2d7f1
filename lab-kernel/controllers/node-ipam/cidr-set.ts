import { formatCidr, parseCidr, type Cidr } from '../../net/ipv4';

/**
 * The node IPAM controller's pool of pod CIDRs (pkg/controller/nodeipam/ipam/cidrset): the
 * cluster CIDR cut into subnets of one size, each free or used. AllocateNext hands out the next
 * free one round-robin, starting after the last one it gave; Occupy marks one a node already
 * holds; Release frees it.
 *
 *   const set = new CidrSet('10.244.0.0/16', 24);
 *   set.allocateNext()           // => '10.244.0.0/24'
 *   set.occupy('10.244.5.0/24'); set.allocateNext()   // => '10.244.1.0/24'
 *   set.occupy('10.96.0.0/24')   // throws 'cidr 10.96.0.0/24 is out the range of cluster cidr 10.244.0.0/16'
 *   // once every one of the 256 is used: throws cidrset's ErrCIDRRangeNoCIDRsRemaining
 *
 * Occupying a CIDR that is already used is no error (cidrset sets the bit again): two Nodes
 * created with the same spec.podCIDR are not caught here.
 */
export const NO_CIDRS_REMAINING = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';

export class CidrSet {
  private readonly cluster: Cidr;
  private readonly used = new Set<number>();
  private readonly size: number;
  private nextCandidate = 0;

  constructor(
    clusterCIDR: string,
    private readonly subnetMaskSize: number,
  ) {
    this.cluster = parseCidr(clusterCIDR);
    if (subnetMaskSize < this.cluster.len || subnetMaskSize > 32) throw new Error(`node CIDR mask size ${subnetMaskSize} does not fit in the cluster CIDR ${clusterCIDR}`);
    this.size = 2 ** (subnetMaskSize - this.cluster.len);
  }

  allocateNext(): string {
    for (let i = 0; i < this.size; i++) {
      const candidate = (this.nextCandidate + i) % this.size;
      if (this.used.has(candidate)) continue;
      this.used.add(candidate);
      this.nextCandidate = (candidate + 1) % this.size;
      return this.subnet(candidate);
    }
    throw new Error(NO_CIDRS_REMAINING);
  }

  occupy(cidr: string): void {
    for (const i of this.indexes(cidr)) this.used.add(i);
  }

  release(cidr: string): void {
    for (const i of this.indexes(cidr)) this.used.delete(i);
  }

  /** The subnets a CIDR covers (one, or several for a wider one), or the error cidrset gives for one outside the cluster CIDR. */
  private indexes(text: string): number[] {
    const c = parseCidr(text);
    if (c.len < this.cluster.len || ((c.ip & this.cluster.mask) >>> 0) !== this.cluster.ip) {
      throw new Error(`cidr ${formatCidr(c)} is out the range of cluster cidr ${formatCidr(this.cluster)}`);
    }
    const shift = 32 - this.subnetMaskSize;
    const first = (c.ip - this.cluster.ip) >>> shift;
    const count = c.len >= this.subnetMaskSize ? 1 : 2 ** (this.subnetMaskSize - c.len);
    return Array.from({ length: count }, (_, k) => first + k);
  }

  private subnet(index: number): string {
    return formatCidr({ ip: (this.cluster.ip + index * 2 ** (32 - this.subnetMaskSize)) >>> 0, len: this.subnetMaskSize, mask: 0 });
  }
}
