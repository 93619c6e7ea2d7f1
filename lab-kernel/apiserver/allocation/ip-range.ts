import type { Rng } from '../../sim/rng';
import { AllocationBitmap } from './allocation-bitmap';

/**
 * The Service cluster IPs one API server hands out: every address of its
 * --service-cluster-ip-range but the network and broadcast addresses, as kube-apiserver's
 * ipallocator.Range (pkg/registry/core/service/ipallocator/bitmap.go, 1.32).
 *
 *   const ips = new IpRange('10.96.0.0/12', rng);   // kubeadm's default range
 *   ips.allocate('10.96.0.1')     // => ok: the `kubernetes` Service's address
 *   ips.allocate('10.96.0.1')     // => throws AllocationError 'provided IP is already allocated'
 *   ips.allocate('10.97.0.0')     // => ok: inside the /12
 *   ips.allocate('10.200.0.1')    // => throws 'the provided IP (10.200.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12'
 *   ips.allocateNext()            // => e.g. '10.104.21.7': a random free address above 10.96.1.0
 *   ips.release('10.96.0.1')      // free again
 *
 * The first addresses (256 of a /12: 10.96.0.1 .. 10.96.1.0) are the lower band
 * (allocation-bitmap.ts): allocateNext takes them only once every other address is taken.
 *
 * Simplified: IPv4 only (kube-apiserver may hold an IPv6 range too, for dual-stack).
 */
/** What an allocator answers when it cannot: `provided IP is already allocated`, `range is full`, ... */
export class AllocationError extends Error {}

export class IpRange {
  /** The first usable address (the network address + 1), as a 32-bit number. */
  private readonly base: number;
  private readonly bits: AllocationBitmap;

  constructor(
    readonly cidr: string,
    rng: Rng,
  ) {
    const [address, prefix] = cidr.split('/');
    const bitsInPrefix = Number(prefix);
    const network = parseIPv4(address ?? '');
    if (network === undefined || !Number.isInteger(bitsInPrefix) || bitsInPrefix < 0 || bitsInPrefix > 32) throw new RangeError(`not an IPv4 CIDR: ${cidr}`);
    const size = 2 ** (32 - bitsInPrefix);
    this.base = network + 1;
    this.bits = new AllocationBitmap(Math.max(0, size - 2), rangeOffset(size), rng);
  }

  /** The first usable address: 10.96.0.1 of 10.96.0.0/12, the `kubernetes` Service's. */
  get first(): string {
    return formatIPv4(this.base);
  }

  /** Takes `ip` for a Service; throws AllocationError if it is outside the range or taken. With dryRun, only the range is checked. */
  allocate(ip: string, dryRun = false): void {
    const at = this.offsetOf(ip);
    if (at === undefined) throw new AllocationError(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}`);
    if (dryRun) return;
    if (!this.bits.allocate(at)) throw new AllocationError('provided IP is already allocated');
  }

  /** Takes a free address the API server chooses; with dryRun, takes nothing and answers the network address, as kube-apiserver does. */
  allocateNext(dryRun = false): string {
    if (dryRun) return formatIPv4(this.base - 1);
    const at = this.bits.allocateNext();
    if (at === undefined) throw new AllocationError('range is full');
    return formatIPv4(this.base + at);
  }

  /** Gives `ip` back; an address outside the range, or free, is left alone. */
  release(ip: string): void {
    const at = this.offsetOf(ip);
    if (at !== undefined) this.bits.release(at);
  }

  has(ip: string): boolean {
    const at = this.offsetOf(ip);
    return at !== undefined && this.bits.has(at);
  }

  free(): number {
    return this.bits.free();
  }

  private offsetOf(ip: string): number | undefined {
    const n = parseIPv4(ip);
    if (n === undefined) return undefined;
    const at = n - this.base;
    return at >= 0 && at < this.bits.max ? at : undefined;
  }
}

/**
 * calculateRangeOffset: the size of the lower band, min(max(16, size/16), 256), or 0 for a
 * range of 16 addresses or fewer.
 *   rangeOffset(2 ** 20)  // => 256 (a /12)
 *   rangeOffset(256)      // => 16  (a /24)
 */
function rangeOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

/**
 * A dotted IPv4 address as a number, or undefined if it is not one.
 *   parseIPv4('10.96.0.1')  // => 174063617
 *   parseIPv4('10.96.0')    // => undefined
 */
function parseIPv4(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
