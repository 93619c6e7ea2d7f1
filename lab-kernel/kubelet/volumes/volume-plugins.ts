import type { Pod, Volume } from '../../api/types';
import type { HostFs } from '../../runtime/host-fs';
import { cacheNotSynced, objectData, objectNotFound, type ConfigObjectCache } from './config-object-cache';
import { podVolumeDir } from './volume-paths';

/**
 * The kubelet's in-tree volume plugins for a pod's own volumes: SetUp makes the volume's
 * directory on the node (volume-paths.ts) and fills it; the containers' CRI mounts point there.
 *
 *   emptyDir   kubernetes.io~empty-dir/<name>: empty at first, shared by the pod's containers, removed with the pod
 *   configMap  kubernetes.io~configmap/<name>: a file per key (or per `items` entry), written again at every SetUp
 *   secret     kubernetes.io~secret/<name>: the same with the Secret's decoded values
 *   projected  kubernetes.io~projected/<name>: the lab writes the downward API's `namespace` only
 *              (no service-account token is issued and no kube-root-ca.crt published)
 *   hostPath   the node's own directory, nothing to set up
 *
 *   setUp(pod, { name: 'config', configMap: { name: 'app' } })  // => { path: '.../kubernetes.io~configmap/config' }, files color, size
 *   the ConfigMap missing                                      // => { error: 'configmap "app" not found' }
 *   the ConfigMap missing, optional: true                      // => an empty volume
 *
 * A ConfigMap or Secret volume needs remounting: its SetUp runs at every sync of the pod, so a
 * changed object reaches the files then. The real plugin writes through the atomic writer (a
 * ..data symlink swapped at once); the lab writes the files in place, and models no subPath
 * mounts (which never see an update), file modes or tmpfs media.
 */
export type SetUpResult = { path: string; readOnly: boolean } | { error: string };

export function setUpPodVolume(pod: Readonly<Pod>, v: Readonly<Volume>, fs: HostFs, cache: ConfigObjectCache): SetUpResult {
  const uid = pod.metadata.uid!;
  if (v.hostPath !== undefined) return { path: v.hostPath.path, readOnly: false };
  if (v.emptyDir !== undefined) return { path: podVolumeDir(uid, 'kubernetes.io~empty-dir', v.name), readOnly: false };
  if (v.projected !== undefined) {
    const path = podVolumeDir(uid, 'kubernetes.io~projected', v.name);
    fs.write(`${path}/namespace`, pod.metadata.namespace!);
    return { path, readOnly: true };
  }
  const source = v.configMap !== undefined
    ? { resource: 'configmaps' as const, dir: 'kubernetes.io~configmap', name: v.configMap.name, items: v.configMap.items, optional: v.configMap.optional === true, kind: 'configmap' }
    : v.secret !== undefined
      ? { resource: 'secrets' as const, dir: 'kubernetes.io~secret', name: v.secret.secretName, items: v.secret.items, optional: v.secret.optional === true, kind: 'secret' }
      : undefined;
  if (source === undefined) return { error: `the lab has no volume plugin for volume "${v.name}"` };
  const obj = cache.get(source.resource, pod.metadata.namespace!, source.name);
  if (obj === 'not-synced') return { error: cacheNotSynced(source.resource) };
  if (obj === 'not-found' && !source.optional) return { error: objectNotFound(source.resource, source.name) };
  const data = obj === 'not-found' ? {} : objectData(source.resource, obj);
  const files: Record<string, string> = {};
  for (const item of source.items ?? Object.keys(data).map((key) => ({ key, path: key }))) {
    if (!(item.key in data)) {
      if (source.optional) continue;
      return { error: `${source.kind} references non-existent ${source.kind === 'configmap' ? 'config' : 'secret'} key: ${item.key}` };
    }
    files[item.path] = data[item.key];
  }
  const path = podVolumeDir(uid, source.dir, v.name);
  for (const old of fs.list(path)) if (!(old in files)) fs.write(`${path}/${old}`, undefined);
  for (const [file, content] of Object.entries(files)) fs.write(`${path}/${file}`, content);
  return { path, readOnly: true };
}

/** Whether SetUp runs again at every sync (RequiresRemount): the volumes whose content follows an object. */
export function requiresRemount(v: Readonly<Volume>): boolean {
  return v.configMap !== undefined || v.secret !== undefined || v.projected !== undefined;
}

/** TearDown: the pod's own volume directory goes; a hostPath, or a claim's volume, is the node's and stays with its data. */
export function tearDownPodVolume(v: Readonly<Volume>, path: string, fs: HostFs): void {
  if (v.hostPath === undefined && v.persistentVolumeClaim === undefined) fs.removeAll(path);
}
