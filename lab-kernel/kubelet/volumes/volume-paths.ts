import { createHash } from 'crypto';

/**
 * Where the kubelet keeps a pod's volumes on the node (--root-dir /var/lib/kubelet):
 *
 *   podVolumeDir('u1', 'kubernetes.io~configmap', 'config')
 *   // => '/var/lib/kubelet/pods/u1/volumes/kubernetes.io~configmap/config'
 *   csiPublishPath('u1', 'pvc-9')   // => '/var/lib/kubelet/pods/u1/volumes/kubernetes.io~csi/pvc-9/mount' (NodePublishVolume's target)
 *   csiStagingPath('hostpath.csi.k8s.io', 'vol-1')
 *   // => '/var/lib/kubelet/plugins/kubernetes.io/csi/hostpath.csi.k8s.io/<sha256 of vol-1>/globalmount' (NodeStageVolume's)
 */
export const KUBELET_ROOT = '/var/lib/kubelet';

export function podVolumeDir(podUid: string, pluginDir: string, volumeName: string): string {
  return `${KUBELET_ROOT}/pods/${podUid}/volumes/${pluginDir}/${volumeName}`;
}

export function csiPublishPath(podUid: string, pvName: string): string {
  return `${podVolumeDir(podUid, 'kubernetes.io~csi', pvName)}/mount`;
}

export function csiStagingPath(driver: string, volumeHandle: string): string {
  return `${KUBELET_ROOT}/plugins/kubernetes.io/csi/${driver}/${createHash('sha256').update(volumeHandle).digest('hex')}/globalmount`;
}
