import type { Service } from '../../api/types';
import type { Simulation } from '../../sim/simulation';
import { loadBalancerName, type CloudProvider } from './cloud-provider';

/**
 * A pretend cloud with load balancers, for the service controller to drive (cloud-provider.ts).
 * Each call answers after a delay drawn from the seed, as a real cloud's API does; external
 * IPs come in order from 203.0.113.0/24 (TEST-NET-3, RFC 5737: a range for documentation,
 * never routed), so a run's addresses are the same every time:
 *
 *   const cloud = new SimulatedCloud(sim);
 *   cloud.ensureLoadBalancer('kubernetes', svc, ['node-1'], (r) => ...)
 *   // 5-15 s later: r => { status: { ingress: [{ ip: '203.0.113.1' }] } }
 *   cloud.failNext('ensure', 'quota exceeded for load balancers')  // the next ensure answers that error
 *   cloud.balancers()   // => [{ name: 'a8f2c...', service: 'default/my-lb', ip: '203.0.113.1', nodes: ['node-1'] }]
 *
 * Delays: a new load balancer 5-15 s, a change to one (ensure again, update) 1-3 s, a
 * deletion 3-8 s, a lookup 100-300 ms. The cloud writes what it did into the trace as `cloud`.
 */
export const CLOUD = 'cloud';
export const EXTERNAL_IP_PREFIX = '203.0.113.';

export type CloudOperation = 'get' | 'ensure' | 'update' | 'delete';

export interface CloudLoadBalancer {
  name: string;
  /** The service's key, namespace/name. */
  service: string;
  ip: string;
  nodes: string[];
}

export class SimulatedCloud implements CloudProvider {
  readonly name = 'simulated';
  private readonly lbs = new Map<string, CloudLoadBalancer>();
  private readonly failures: { operation: CloudOperation; message: string }[] = [];
  private nextHost = 1;

  constructor(private readonly sim: Simulation) {}

  /** Every load balancer the cloud has now. */
  balancers(): CloudLoadBalancer[] {
    return [...this.lbs.values()].map((lb) => (Object.assign({}, lb, { nodes: [...lb.nodes] })));
  }

  /** The next `times` calls of `operation` fail with `message` (after their usual delay). */
  failNext(operation: CloudOperation, message: string, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ operation, message });
  }

  getLoadBalancer(_cluster: string, service: Readonly<Service>, done: (r: { exists: boolean } | { error: string }) => void): void {
    this.answer('get', 100, 300, (error) => done(error !== undefined ? { error } : { exists: this.lbs.has(loadBalancerName(service)) }));
  }

  ensureLoadBalancer(_cluster: string, service: Readonly<Service>, nodes: readonly string[], done: (r: { status: { ingress: { ip: string }[] } } | { error: string }) => void): void {
    const name = loadBalancerName(service);
    const exists = this.lbs.has(name);
    this.answer('ensure', exists ? 1_000 : 5_000, exists ? 3_000 : 15_000, (error) => {
      if (error !== undefined) return done({ error });
      let lb = this.lbs.get(name);
      if (lb === undefined) {
        if (this.nextHost > 254) return done({ error: `no external IP left in ${EXTERNAL_IP_PREFIX}0/24` });
        lb = { name, service: `${service.metadata.namespace}/${service.metadata.name}`, ip: `${EXTERNAL_IP_PREFIX}${this.nextHost++}`, nodes: [] };
        this.lbs.set(name, lb);
        this.trace(`created load balancer ${name} for ${lb.service} with IP ${lb.ip}, backends ${nodes.join(',') || '<none>'}`);
      }
      lb.nodes = [...nodes];
      done({ status: { ingress: [{ ip: lb.ip }] } });
    });
  }

  updateLoadBalancer(_cluster: string, service: Readonly<Service>, nodes: readonly string[], done: (error?: string) => void): void {
    this.answer('update', 1_000, 3_000, (error) => {
      const lb = this.lbs.get(loadBalancerName(service));
      if (error === undefined && lb === undefined) error = `load balancer ${loadBalancerName(service)} not found`;
      if (error !== undefined) return done(error);
      lb!.nodes = [...nodes];
      this.trace(`load balancer ${lb!.name} of ${lb!.service} now sends to ${nodes.join(',') || '<none>'}`);
      done();
    });
  }

  ensureLoadBalancerDeleted(_cluster: string, service: Readonly<Service>, done: (error?: string) => void): void {
    this.answer('delete', 3_000, 8_000, (error) => {
      if (error !== undefined) return done(error);
      const lb = this.lbs.get(loadBalancerName(service));
      if (lb !== undefined) {
        this.lbs.delete(lb.name);
        this.trace(`deleted load balancer ${lb.name} of ${lb.service} (IP ${lb.ip})`);
      }
      done();
    });
  }

  /** After a seeded delay, the call answers: with an injected failure if one is waiting for it. */
  private answer(operation: CloudOperation, minMs: number, maxMs: number, then: (error: string | undefined) => void): void {
    const delay = this.sim.rng('cloud/delays').between(minMs, maxMs);
    this.sim.after(delay, () => {
      const i = this.failures.findIndex((f) => f.operation === operation);
      const failure = i < 0 ? undefined : this.failures.splice(i, 1)[0].message;
      then(failure);
    });
  }

  private trace(message: string): void {
    this.sim.trace.action(this.sim.now(), CLOUD, message);
  }
}
