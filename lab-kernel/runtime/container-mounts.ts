import type { Mount } from './cri';

/**
 * Where a path a container's process names lands: under one of its CRI mounts (the kubelet's
 * volumes), the host path behind it; anywhere else, the container's own writable layer.
 *
 *   mountedPath([{ containerPath: '/etc/config', hostPath: '/var/lib/kubelet/pods/u/volumes/kubernetes.io~configmap/config' }], '/etc/config/color')
 *   // => { hostPath: '/var/lib/kubelet/pods/u/volumes/kubernetes.io~configmap/config/color', readonly: false }
 *   mountedPath([...], '/tmp/x')  // => undefined: the container's own file
 *
 * The longest containerPath wins, as nested mounts do.
 */
export function mountedPath(mounts: readonly Mount[] | undefined, path: string): { hostPath: string; readonly: boolean } | undefined {
  let best: Mount | undefined;
  for (const m of mounts ?? []) {
    const under = path === m.containerPath || path.startsWith(`${m.containerPath.replace(/\/$/, '')}/`);
    if (under && (best === undefined || m.containerPath.length > best.containerPath.length)) best = m;
  }
  return best === undefined ? undefined : { hostPath: best.hostPath + path.slice(best.containerPath.replace(/\/$/, '').length), readonly: best.readonly === true };
}
