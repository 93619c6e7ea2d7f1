import { internalError, invalid, invalidValue, type StatusCause } from '../../api/status';
import type { Service, ServiceSpec } from '../../api/types';
import { goStringSlice } from '../../api/validation/go-syntax';
import { validateClusterIPs } from '../../api/validation/service';
import type { Simulation } from '../../sim/simulation';
import { AllocationError, IpRange } from './ip-range';
import { PortRange } from './port-range';

/**
 * What the API server hands out with a Service, and takes back: its cluster IP and its node
 * ports (kube-apiserver's Allocators, pkg/registry/core/service/storage/alloc.go, 1.32).
 * Each call takes what the Service needs and answers how to finish: the write was stored, so
 * keep it (and give back what the update gave up), or it was not, so give it all back.
 *
 *   const finish = allocators.allocateCreate(svc, false);
 *   // svc.spec: clusterIP '10.104.21.7', clusterIPs ['10.104.21.7'], ipFamilies ['IPv4'],
 *   //           ipFamilyPolicy 'SingleStack'; a NodePort's ports each a nodePort
 *   finish(true)    // stored: kept
 *   finish(false)   // not stored (a validation error, a lost race in etcd): given back
 *
 *   clusterIP: 'None'                  => headless: no address
 *   clusterIP: '10.96.0.10' (free)     => that one
 *   clusterIP: '10.96.0.10' (taken)    => 422 spec.clusterIPs: Invalid value: []string{"10.96.0.10"}:
 *                                         failed to allocate IP 10.96.0.10: provided IP is already allocated
 *   nodePort: 30080 (taken)            => 422 spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated
 *
 * Simplified: one IPv4 range (no dual-stack: a second family is refused as not configured),
 * no health-check node port for a LoadBalancer with externalTrafficPolicy Local, and a dry
 * run's node ports are taken and given back at once (kube-apiserver only checks them).
 */
export type FinishWrite = (stored: boolean) => void;

export interface ServiceRangeOptions {
  /** --service-cluster-ip-range; kubeadm's default is 10.96.0.0/12. */
  serviceClusterIPRange?: string;
  /** --service-node-port-range; 30000-32767 by default. */
  serviceNodePortRange?: string;
}

export class ServiceAllocators {
  readonly ips: IpRange;
  readonly nodePorts: PortRange;

  constructor(sim: Simulation, options: ServiceRangeOptions = {}) {
    this.ips = new IpRange(options.serviceClusterIPRange ?? '10.96.0.0/12', sim.rng('apiserver/service-ips'));
    const [first, last] = (options.serviceNodePortRange ?? '30000-32767').split('-').map(Number);
    this.nodePorts = new PortRange(first!, last! - first! + 1, sim.rng('apiserver/node-ports'));
  }

  /** allocateCreate: the new Service's IP family fields, cluster IP and node ports. Throws the API error a client sees. */
  allocateCreate(svc: Service, dryRun: boolean): FinishWrite {
    const txn = new Transaction(dryRun);
    try {
      this.initIPFamilyFields(svc, undefined);
      if (needsClusterIP(svc.spec) && svc.spec.clusterIPs?.[0] !== 'None') this.allocClusterIP(svc, txn);
      if (needsNodePorts(svc.spec)) this.initNodePorts(svc, undefined, txn);
    } catch (err) {
      txn.finish(false);
      throw err;
    }
    return (stored) => txn.finish(stored);
  }

  /**
   * allocateUpdate: what a changed type asks for. ExternalName to another type gets a cluster
   * IP, the reverse gives its IP back once stored; becoming NodePort gets node ports, and
   * node ports no longer used are given back once stored.
   */
  allocateUpdate(svc: Service, old: Readonly<Service>, dryRun: boolean): FinishWrite {
    const txn = new Transaction(dryRun);
    try {
      this.initIPFamilyFields(svc, old);
      const oldIPs = old.spec.clusterIPs ?? [];
      if (!needsClusterIP(old.spec) && needsClusterIP(svc.spec)) this.allocClusterIP(svc, txn);
      else if (needsClusterIP(old.spec) && !needsClusterIP(svc.spec) && oldIPs[0] !== 'None') for (const ip of oldIPs) txn.onStored(() => this.ips.release(ip));
      if (needsNodePorts(svc.spec)) this.initNodePorts(svc, old, txn);
      const kept = new Set(nodePortsOf(svc.spec));
      for (const port of nodePortsOf(old.spec)) if (!kept.has(port)) txn.onStored(() => this.nodePorts.release(port));
    } catch (err) {
      txn.finish(false);
      throw err;
    }
    return (stored) => txn.finish(stored);
  }

  /** releaseAllocatedResources: a deleted Service's cluster IP and node ports, free again. */
  release(svc: Readonly<Service>): void {
    if (needsClusterIP(svc.spec)) for (const ip of svc.spec.clusterIPs ?? []) this.ips.release(ip);
    for (const port of nodePortsOf(svc.spec)) this.nodePorts.release(port);
  }

  /**
   * initIPFamilyFields, for a single-stack IPv4 cluster: ipFamilyPolicy SingleStack (the old
   * one on an update; RequireDualStack for a headless Service without a selector), ipFamilies
   * from the cluster IPs, else IPv4. What only a dual-stack cluster could give is refused.
   */
  private initIPFamilyFields(svc: Service, old: Readonly<Service> | undefined): void {
    const spec = svc.spec;
    if (spec.type === 'ExternalName') return;
    const headlessWithoutSelector = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
    spec.ipFamilyPolicy ??= old?.spec.ipFamilyPolicy ?? (headlessWithoutSelector ? 'RequireDualStack' : 'SingleStack');
    const malformed = validateClusterIPs(spec);
    if (malformed.length > 0) throw invalidService(svc, malformed);
    const causes: StatusCause[] = [];
    const families = [...(spec.ipFamilies ?? [])];
    (spec.clusterIPs ?? []).forEach((ip, i) => {
      if (ip === 'None' || i < families.length) return;
      if (ip.includes(':')) causes.push(invalidValue(`spec.clusterIPs[${i}]`, goStringSlice(spec.clusterIPs!), 'IPv6 is not configured on this cluster'));
      else families.push('IPv4');
    });
    if (causes.length > 0) throw invalidService(svc, causes);
    if (headlessWithoutSelector) {
      if (families.length === 0) families.push('IPv4');
      if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
      spec.ipFamilies = families;
      return;
    }
    if (spec.ipFamilyPolicy === 'RequireDualStack') causes.push(invalidValue('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
    families.forEach((family, i) => {
      if (family !== 'IPv4') causes.push(invalidValue(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'));
    });
    if (causes.length > 0) throw invalidService(svc, causes);
    spec.ipFamilies = families.length === 0 ? ['IPv4'] : families;
  }

  /** allocClusterIPs: the requested address if free and in range, else the next one the range gives. */
  private allocClusterIP(svc: Service, txn: Transaction): void {
    const spec = svc.spec;
    const requested = spec.clusterIPs?.[0] ?? '';
    let ip = requested;
    try {
      if (requested === '') ip = this.ips.allocateNext(txn.dryRun);
      else this.ips.allocate(requested, txn.dryRun);
    } catch (err) {
      if (!(err instanceof AllocationError)) throw err;
      if (requested === '') throw internalError(`failed to allocate a serviceIP: ${err.message}`);
      throw invalidService(svc, [invalidValue('spec.clusterIPs', goStringSlice(spec.clusterIPs ?? []), `failed to allocate IP ${requested}: ${err.message}`)]);
    }
    if (!txn.dryRun) txn.onRevert(() => this.ips.release(ip));
    spec.clusterIPs = [ip];
    spec.clusterIP = ip;
  }

  /**
   * initNodePorts / updateNodePorts: each port's requested node port if free and in range
   * (one the Service held before is kept as it is), else one the range gives. Two ports with
   * the same port number share one node port (TCP and UDP on 53, say).
   */
  private initNodePorts(svc: Service, old: Readonly<Service> | undefined, txn: Transaction): void {
    const held = new Set(old === undefined ? [] : nodePortsOf(old.spec));
    const byPort = new Map<number, number>();
    const allocate = !(svc.spec.type === 'LoadBalancer' && svc.spec.allocateLoadBalancerNodePorts === false);
    (svc.spec.ports ?? []).forEach((p, i) => {
      const requested = p.nodePort ?? 0;
      if (requested === 0 && !allocate) return;
      const shared = byPort.get(p.port);
      if (requested === 0 && shared !== undefined) {
        p.nodePort = shared;
        return;
      }
      if (requested !== 0) {
        if (!held.has(requested) && shared !== requested) this.takePort(svc, i, requested, txn);
      } else {
        try {
          p.nodePort = this.nodePorts.allocateNext();
        } catch (err) {
          if (err instanceof AllocationError) throw internalError(`failed to allocate a nodePort: ${err.message}`);
          throw err;
        }
        const port = p.nodePort;
        txn.onRevert(() => this.nodePorts.release(port));
      }
      byPort.set(p.port, p.nodePort!);
    });
  }

  private takePort(svc: Service, index: number, port: number, txn: Transaction): void {
    try {
      this.nodePorts.allocate(port);
    } catch (err) {
      if (err instanceof AllocationError) throw invalidService(svc, [invalidValue(`spec.ports[${index}].nodePort`, port, err.message)]);
      throw err;
    }
    txn.onRevert(() => this.nodePorts.release(port));
  }
}

/**
 * What one request took and what it will give up, settled when the write is: kept and the
 * give-ups done if stored, taken back if not. A dry run keeps nothing and gives up nothing.
 *   txn.onRevert(() => ips.release('10.96.3.4')); txn.finish(false)   // => released
 */
class Transaction {
  private readonly reverts: (() => void)[] = [];
  private readonly commits: (() => void)[] = [];
  private done = false;

  constructor(readonly dryRun: boolean) {}

  onRevert(undo: () => void): void {
    this.reverts.push(undo);
  }

  onStored(then: () => void): void {
    this.commits.push(then);
  }

  finish(stored: boolean): void {
    if (this.done) return;
    this.done = true;
    if (stored && !this.dryRun) for (const f of this.commits) f();
    else for (const f of this.reverts.reverse()) f();
  }
}

const needsClusterIP = (spec: Readonly<ServiceSpec>) => spec.type !== 'ExternalName';
const needsNodePorts = (spec: Readonly<ServiceSpec>) => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
const nodePortsOf = (spec: Readonly<ServiceSpec>) => (spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0);
const invalidService = (svc: Readonly<Service>, causes: StatusCause[]) => invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', causes);
