import type { Rng } from '../../sim/rng';
import { AllocationBitmap } from './allocation-bitmap';
import { AllocationError } from './ip-range';

/**
 * The node ports one API server hands out to NodePort and LoadBalancer Services, from its
 * --service-node-port-range (30000-32767 by default), as kube-apiserver's PortAllocator
 * (pkg/registry/core/service/portallocator/allocator.go, 1.32).
 *
 *   const ports = new PortRange(30000, 2768, rng);
 *   ports.allocate(30080)    // => ok
 *   ports.allocate(30080)    // => throws AllocationError 'provided port is already allocated'
 *   ports.allocate(8080)     // => throws 'provided port is not in the valid range. The range of valid ports is 30000-32767'
 *   ports.allocateNext()     // => e.g. 31407: a random free port above 30085
 *
 * As for cluster IPs (allocation-bitmap.ts), the first ports are a lower band the API server
 * picks from only when the rest is full: min(max(16, size/32), 128), so 86 of 2,768
 * (30000-30085).
 */
export class PortRange {
  private readonly bits: AllocationBitmap;

  constructor(
    readonly base: number,
    readonly size: number,
    rng: Rng,
  ) {
    const offset = size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(size / 32)), 128);
    this.bits = new AllocationBitmap(size, offset, rng);
  }

  /** `30000-32767`, as the API server names the range in its messages. */
  get spec(): string {
    return `${this.base}-${this.base + this.size - 1}`;
  }

  /** Takes `port`; throws AllocationError if it is outside the range or taken. */
  allocate(port: number): void {
    if (!this.contains(port)) throw new AllocationError(`provided port is not in the valid range. The range of valid ports is ${this.spec}`);
    if (!this.bits.allocate(port - this.base)) throw new AllocationError('provided port is already allocated');
  }

  /** Takes a free port the API server chooses. */
  allocateNext(): number {
    const at = this.bits.allocateNext();
    if (at === undefined) throw new AllocationError('range is full');
    return this.base + at;
  }

  /** Gives `port` back; a port outside the range, or free, is left alone. */
  release(port: number): void {
    if (this.contains(port)) this.bits.release(port - this.base);
  }

  has(port: number): boolean {
    return this.contains(port) && this.bits.has(port - this.base);
  }

  private contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port < this.base + this.size;
  }
}
