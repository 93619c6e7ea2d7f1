import type { Simulation } from '../sim/simulation';
import { answerAfter } from './cri-call';
import { CriError } from './cri-error';
import type { CsiCallback, CsiController, CsiDriver, CsiNode, NodeCapability } from './csi';
import type { HostFs } from './host-fs';

/**
 * The CSI hostpath driver (kubernetes-csi/csi-driver-host-path), the CSI project's example
 * driver, `hostpath.csi.k8s.io`: a volume is a directory of the node's own disk,
 * /csi-data-dir/<volume id>. One node's instance serves both the Controller and the Node
 * service, as its single-node deployment does.
 *
 *   createVolume({ name: 'pvc-1', capacityBytes: 1 << 30 })  // => volumeId 'node-1-0001', its directory /csi-data-dir/node-1-0001
 *   nodeGetCapabilities({})                                 // => ['STAGE_UNSTAGE_VOLUME', ...]
 *   nodeStageVolume({ volumeId, stagingTargetPath })        // => ok: nothing to do for a directory
 *   nodePublishVolume({ volumeId, targetPath })             // => bind-mounts /csi-data-dir/<id> at targetPath
 *   nodePublishVolume({ volumeId: 'nosuch', ... })          // => NotFound 'volume id nosuch does not exist in the volumes list'
 *   nodeUnpublishVolume({ volumeId, targetPath })           // => unmounted; the data stays
 *
 * Each call takes a few milliseconds (a local socket, a mount). Lab simplifications: no
 * snapshots, capacity tracking, block volumes or ephemeral inline volumes; its state is kept in
 * memory, as the driver's is in a JSON file beside its data.
 */
export const HOSTPATH_DRIVER = 'hostpath.csi.k8s.io';

type RequestOf<K extends keyof CsiNode> = Parameters<CsiNode[K]>[0];
export const HOSTPATH_DATA_ROOT = '/csi-data-dir';

export class HostPathDriver implements CsiDriver, CsiController {
  readonly name = HOSTPATH_DRIVER;
  private readonly volumes = new Map<string, { name: string; capacityBytes: number }>();
  private nextId = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly nodeId: string,
    private readonly hostFs: HostFs,
  ) {}

  nodeGetCapabilities(_req: Record<string, never>, done: CsiCallback<{ capabilities: NodeCapability[] }>): void {
    answerAfter(this.sim, 1, done, () => ({ capabilities: ['STAGE_UNSTAGE_VOLUME', 'VOLUME_CONDITION', 'GET_VOLUME_STATS', 'SINGLE_NODE_MULTI_WRITER'] as NodeCapability[] }));
  }

  createVolume(req: { name: string; capacityBytes: number }, done: CsiCallback<{ volume: { volumeId: string; capacityBytes: number } }>): void {
    answerAfter(this.sim, 5, done, () => {
      // Idempotent by name, as CSI requires of CreateVolume.
      for (const [volumeId, v] of this.volumes) if (v.name === req.name) return { volume: { volumeId, capacityBytes: v.capacityBytes } };
      const volumeId = `${this.nodeId}-${String(++this.nextId).padStart(4, '0')}`;
      this.volumes.set(volumeId, { name: req.name, capacityBytes: req.capacityBytes });
      return { volume: { volumeId, capacityBytes: req.capacityBytes } };
    });
  }

  nodeStageVolume(req: RequestOf<'nodeStageVolume'>, done: CsiCallback<Record<string, never>>): void {
    // A directory needs no per-node mount: staging only checks the volume exists.
    answerAfter(this.sim, 3, done, () => {
      this.volume(req.volumeId);
      return {};
    });
  }

  nodeUnstageVolume(req: RequestOf<'nodeUnstageVolume'>, done: CsiCallback<Record<string, never>>): void {
    answerAfter(this.sim, 3, done, () => {
      this.volume(req.volumeId);
      return {};
    });
  }

  nodePublishVolume(req: RequestOf<'nodePublishVolume'>, done: CsiCallback<Record<string, never>>): void {
    answerAfter(this.sim, 5, done, () => {
      this.volume(req.volumeId);
      if (!this.hostFs.isMountPoint(req.targetPath)) this.hostFs.bind(`${HOSTPATH_DATA_ROOT}/${req.volumeId}`, req.targetPath);
      return {};
    });
  }

  nodeUnpublishVolume(req: RequestOf<'nodeUnpublishVolume'>, done: CsiCallback<Record<string, never>>): void {
    answerAfter(this.sim, 3, done, () => {
      this.volume(req.volumeId);
      this.hostFs.unbind(req.targetPath);
      return {};
    });
  }

  private volume(volumeId: string) {
    const v = this.volumes.get(volumeId);
    if (v === undefined) throw new CriError('NotFound', `volume id ${volumeId} does not exist in the volumes list`);
    return v;
  }
}
