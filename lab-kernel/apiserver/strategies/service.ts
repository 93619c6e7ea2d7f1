import { resourceFor, storageKey, type ResourceInfo } from '../../api/resources';
import type { Service, ServiceSpec } from '../../api/types';
import type { Steps } from '../steps';
import { defaultStrategy } from './default';
import type { HookContext, ResourceStrategy } from './strategy';

/**
 * Services: the default strategy, plus what the API server hands out with them, as
 * kube-apiserver's Service REST storage (pkg/registry/core/service/storage/storage.go, 1.32)
 * does in its BeginCreate, BeginUpdate and AfterDelete hooks:
 *
 *   POST services my-service { ports: [{ port: 80 }] }
 *   // => spec.clusterIP '10.104.21.7' (clusterIPs, ipFamilies [IPv4], ipFamilyPolicy SingleStack),
 *   //    taken before validation and given back if the write fails
 *   PUT services my-service, the same YAML again (no clusterIP)
 *   // => keeps 10.104.21.7 (patchAllocatedValues): re-applying a manifest is not a change
 *   DELETE services my-service
 *   // => 10.104.21.7 free again; the Endpoints of the same name deleted with it
 *
 * The allocation itself is allocation/service-allocators.ts.
 */
export function serviceStrategy(info: ResourceInfo): ResourceStrategy {
  return Object.assign({}, defaultStrategy(info), {
    beginCreate(server, obj, dryRun) {
      const svc = obj as Service;
      if (!isSpec(svc.spec)) return () => {};
      normalizeClusterIPs(svc.spec, undefined);
      return server.serviceAllocators.allocateCreate(svc, dryRun);
    },
    beginUpdate(server, next, old, dryRun) {
      const svc = next as Service;
      const before = old as Readonly<Service>;
      if (!isSpec(svc.spec) || !isSpec(before.spec)) return () => {};
      // A fresh copy: a retried update starts again from what the client sent.
      svc.spec = JSON.parse(JSON.stringify(svc.spec)) as ServiceSpec;
      patchAllocatedValues(svc.spec, before.spec);
      normalizeClusterIPs(svc.spec, before.spec);
      return server.serviceAllocators.allocateUpdate(svc, before, dryRun);
    },
    afterDelete: (server, obj) => releaseAndDeleteEndpoints(server, obj as Readonly<Service>),
  } satisfies Partial<ResourceStrategy>);
}

/**
 * afterDelete: the Service's cluster IP and node ports are free again, and its Endpoints go
 * too (kube-apiserver deletes them itself, in case the Endpoints controller lags and a new
 * Service of the same name would find old addresses).
 */
function* releaseAndDeleteEndpoints(server: HookContext, obj: Readonly<Service>): Steps<void> {
  server.serviceAllocators.release(obj);
  const key = storageKey(resourceFor('Endpoints'), obj.metadata.namespace, obj.metadata.name!);
  const kv = yield* server.etcd.get(key);
  if (kv === undefined) return;
  yield* server.etcd.txn(`txn delete ${key} (with its Service)`, [{ key, target: 'modRevision', op: '=', value: kv.modRevision }], [{ type: 'delete', key }]);
}

/**
 * normalizeClusterIPs: clusterIP and clusterIPs kept in step, for clients that set only the
 * singular field.
 *   create { clusterIP: '10.96.0.10' }                                  // => clusterIPs ['10.96.0.10']
 *   update { clusterIP: '', clusterIPs: same as stored } (old: '10.96.0.10') // => clusterIPs cleared too
 */
function normalizeClusterIPs(spec: ServiceSpec, old: Readonly<ServiceSpec> | undefined): void {
  const ips = spec.clusterIPs ?? [];
  if (old === undefined) {
    if (spec.clusterIP && ips.length === 0) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const oldIPs = old.clusterIPs ?? [];
  if (oldIPs.length > 0 && ips.length === 0 && old.clusterIP === spec.clusterIP) spec.clusterIPs = [...oldIPs];
  if (old.clusterIP === spec.clusterIP) return;
  const same = JSON.stringify(spec.clusterIPs ?? []) === JSON.stringify(oldIPs);
  if (old.clusterIP && !spec.clusterIP) {
    if (same) delete spec.clusterIPs;
  } else if (same && spec.clusterIP) {
    spec.clusterIPs = [spec.clusterIP];
  }
}

/**
 * patchAllocatedValues: what the API server chose and the client left out is kept, so that
 * applying the same manifest again changes nothing.
 *   update { ports: [{ name: 'http', port: 80 }] }, stored: clusterIP 10.96.3.4, http's nodePort 31000
 *   // => clusterIP 10.96.3.4, clusterIPs [10.96.3.4], http's nodePort 31000
 */
function patchAllocatedValues(spec: ServiceSpec, old: Readonly<ServiceSpec>): void {
  if (old.type !== 'ExternalName' && spec.type !== 'ExternalName') {
    if (!spec.clusterIP) spec.clusterIP = old.clusterIP;
    if ((spec.clusterIPs ?? []).length === 0 && (old.clusterIPs ?? []).length > 0) spec.clusterIPs = [...old.clusterIPs!];
    if (spec.clusterIP === undefined) delete spec.clusterIP;
  }
  const nodePorts = (s: Readonly<ServiceSpec>) => (s.type === 'NodePort' || s.type === 'LoadBalancer' ? (s.ports ?? []) : []);
  const oldPorts = nodePorts(old);
  const newPorts = nodePorts(spec);
  if (oldPorts.length === 0 || newPorts.length === 0) return;
  const inNew = new Set(newPorts.map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
  const used = new Set(oldPorts.map((p) => p.nodePort ?? 0).filter((n) => n !== 0 && inNew.has(n)));
  const byName = new Map(oldPorts.map((p) => [p.name ?? '', p.nodePort ?? 0]));
  for (const p of newPorts) {
    const before = byName.get(p.name ?? '') ?? 0;
    if ((p.nodePort ?? 0) === 0 && before !== 0 && !used.has(before)) p.nodePort = before;
  }
}

const isSpec = (v: unknown): v is ServiceSpec => v !== null && typeof v === 'object' && !Array.isArray(v);
