import { describe, expect, it } from 'vitest';
import { csiPublishPath, csiStagingPath, podVolumeDir } from './volume-paths';

describe('where the kubelet puts volumes', () => {
  it("publishes a CSI volume in the pod's folder by PV name and stages it under the sha256 of its handle", () => {
    expect(podVolumeDir('u1', 'kubernetes.io~empty-dir', 'cache')).toBe('/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/cache');
    expect(csiPublishPath('u1', 'pvc-9')).toBe('/var/lib/kubelet/pods/u1/volumes/kubernetes.io~csi/pvc-9/mount');
    // sha256('vol-1')
    expect(csiStagingPath('hostpath.csi.k8s.io', 'vol-1')).toBe(
      '/var/lib/kubelet/plugins/kubernetes.io/csi/hostpath.csi.k8s.io/d2e8363faaac7ae76def3b14091d8eb5755f6b92e9531627aeec833a8731cc49/globalmount',
    );
  });
});
