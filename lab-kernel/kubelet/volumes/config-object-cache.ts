import type { ConfigMap, Pod, Secret } from '../../api/types';
import type { Client } from '../../client/client';
import { Informer } from '../../client/informer';
import type { Simulation } from '../../sim/simulation';

/**
 * The kubelet's ConfigMap and Secret managers with the default change detection strategy,
 * Watch (configMapAndSecretChangeDetectionStrategy, watch_based_manager.go): when a pod that
 * refers to a ConfigMap or a Secret (a volume, an env var, envFrom) comes to the node, the
 * kubelet starts a watch on that one object (a reflector, fieldSelector metadata.name=<name>
 * in the pod's namespace); while some pod still refers to it, the cache follows its changes as
 * the watch brings them; when the last such pod goes, the watch stops.
 *
 *   cache.register(pod)                 // pod mounts configMap app-config => a watch on default/app-config
 *   cache.get('configmaps', 'default', 'app-config')  // => the ConfigMap, 'not-found', or 'not-synced'
 *   cache.unregister(pod.metadata.uid)  // the last pod gone => that watch stops
 *
 * A Get before the watch has listed waits up to 1 s for it (the caller polls: whenSynced) and
 * then fails `failed to sync configmap cache: timed out waiting for the condition`. The Watch
 * strategy makes the cache's delay the watch's (milliseconds); the files of a mounted volume
 * still change only when the pod is synced next (volume-manager.ts). The other strategies
 * (Cache with a TTL, Get) are not modelled.
 */
export type ConfigResource = 'configmaps' | 'secrets';
type ConfigObject = ConfigMap | Secret;

/** How long a Get waits for the object's watch to list it. */
export const CACHE_SYNC_TIMEOUT_MS = 1_000;
const CACHE_SYNC_POLL_MS = 10;

export class ConfigObjectCache {
  private readonly watches = new Map<string, { informer: Informer<ConfigObject>; pods: Set<string> }>();

  constructor(
    private readonly sim: Simulation,
    private readonly client: Client,
  ) {}

  /** Starts a watch for each object the pod refers to that no pod referred to before. */
  register(pod: Readonly<Pod>): void {
    const uid = pod.metadata.uid!;
    const namespace = pod.metadata.namespace!;
    for (const [resource, name] of referencedObjects(pod)) {
      const key = `${resource}/${namespace}/${name}`;
      let watch = this.watches.get(key);
      if (watch === undefined) {
        const informer = new Informer<ConfigObject>(this.sim, this.client, { resource, namespace, fieldSelector: `metadata.name=${name}` });
        watch = { informer, pods: new Set() };
        this.watches.set(key, watch);
        informer.start();
      }
      watch.pods.add(uid);
    }
  }

  /** The pod is gone: the watches no other pod needs stop. */
  unregister(uid: string): void {
    for (const [key, watch] of this.watches) {
      if (!watch.pods.delete(uid) || watch.pods.size > 0) continue;
      watch.informer.stop();
      this.watches.delete(key);
    }
  }

  get(resource: ConfigResource, namespace: string, name: string): Readonly<ConfigObject> | 'not-found' | 'not-synced' {
    const watch = this.watches.get(`${resource}/${namespace}/${name}`);
    if (watch === undefined || !watch.informer.hasSynced()) return 'not-synced';
    return watch.informer.lister.get(`${namespace}/${name}`) ?? 'not-found';
  }

  /** Calls done once every watch the pod needs has listed, or after CACHE_SYNC_TIMEOUT_MS; at once if they all have. */
  whenSynced(pod: Readonly<Pod>, done: () => void): void {
    const namespace = pod.metadata.namespace!;
    const synced = () => referencedObjects(pod).every(([resource, name]) => this.get(resource, namespace, name) !== 'not-synced');
    const deadline = this.sim.now() + CACHE_SYNC_TIMEOUT_MS;
    const poll = (): void => {
      if (synced() || this.sim.now() >= deadline) return done();
      this.sim.after(CACHE_SYNC_POLL_MS, poll);
    };
    poll();
  }

  stop(): void {
    for (const watch of this.watches.values()) watch.informer.stop();
    this.watches.clear();
  }
}

/**
 * The ConfigMaps and Secrets a pod refers to (podutil.VisitPodConfigmapNames/VisitPodSecretNames),
 * without the projected kube-api-access volume's kube-root-ca.crt, which the lab does not publish.
 *   referencedObjects(pod with volume configMap app-config and env secretKeyRef db) // => [['configmaps','app-config'], ['secrets','db']]
 */
export function referencedObjects(pod: Readonly<Pod>): [ConfigResource, string][] {
  const found = new Set<string>();
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap !== undefined) found.add(`configmaps/${v.configMap.name}`);
    if (v.secret !== undefined) found.add(`secrets/${v.secret.secretName}`);
  }
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef !== undefined) found.add(`configmaps/${e.valueFrom.configMapKeyRef.name}`);
      if (e.valueFrom?.secretKeyRef !== undefined) found.add(`secrets/${e.valueFrom.secretKeyRef.name}`);
    }
    for (const e of c.envFrom ?? []) {
      if (e.configMapRef !== undefined) found.add(`configmaps/${e.configMapRef.name}`);
      if (e.secretRef !== undefined) found.add(`secrets/${e.secretRef.name}`);
    }
  }
  return [...found].map((k) => k.split('/') as [ConfigResource, string]);
}

/** The not-found error of the kubelet's managers, whose group resource is singular: configmap "x" not found. */
export function objectNotFound(resource: ConfigResource, name: string): string {
  return `${resource === 'configmaps' ? 'configmap' : 'secret'} "${name}" not found`;
}

/** A Get that found the watch not yet synced after its wait. */
export function cacheNotSynced(resource: ConfigResource): string {
  return `failed to sync ${resource === 'configmaps' ? 'configmap' : 'secret'} cache: timed out waiting for the condition`;
}

/** The key => value pairs of a ConfigMap (data, binaryData decoded) or a Secret (data decoded from base64). */
export function objectData(resource: ConfigResource, obj: Readonly<ConfigObject>): Record<string, string> {
  const decode = (v: string) => Buffer.from(v, 'base64').toString('utf8');
  if (resource === 'secrets') return Object.fromEntries(Object.entries(obj.data ?? {}).map(([k, v]) => [k, decode(v)]));
  const cm = obj as ConfigMap;
  // A spread, not Object.assign: a key may be "__proto__", which Object.assign would take for the prototype.
  return { ...Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, decode(v)])), ...(cm.data ?? {}) };
}
