import type { CriCallback } from './cri';

/**
 * The Container Storage Interface as the kubelet calls it (the CSI spec's csi.proto, v1): a
 * storage vendor's driver serves gRPC services on a socket on the node
 * (/var/lib/kubelet/plugins/<driver>/csi.sock), and the kubelet's csi volume plugin is its client.
 *
 *   Node:     NodeGetCapabilities             => STAGE_UNSTAGE_VOLUME if it stages volumes once per node
 *             NodeStageVolume(volume, staging path)          mount the volume once for the node (globalmount)
 *             NodePublishVolume(volume, staging, target)     make it appear in the pod's volume folder
 *             NodeUnpublishVolume(volume, target)            the pod is gone
 *             NodeUnstageVolume(volume, staging path)        no pod on the node uses it any more
 *   Controller: CreateVolume                  (called by the external-provisioner, or an admin)
 *
 * Every call answers through a callback, a gRPC status error on failure (CriError: a gRPC status
 * like the CRI's). The lab's driver is csi-hostpath-driver.ts. Not modelled: the Identity
 * service and plugin registration (GetPluginInfo, NodeGetInfo, the CSINode object: the lab's
 * kubelet is handed its driver), DeleteVolume, ControllerPublishVolume (attach).
 */
export type CsiCallback<T> = CriCallback<T>;

export type NodeCapability = 'STAGE_UNSTAGE_VOLUME' | 'GET_VOLUME_STATS' | 'VOLUME_CONDITION' | 'SINGLE_NODE_MULTI_WRITER';

/** A filesystem volume, mounted (the lab models no block volumes). */
export interface VolumeCapability {
  mount: { fsType?: string; mountFlags?: string[] };
  accessMode: 'SINGLE_NODE_WRITER' | 'SINGLE_NODE_MULTI_WRITER' | 'MULTI_NODE_MULTI_WRITER' | 'MULTI_NODE_READER_ONLY';
}

export interface CsiNode {
  nodeGetCapabilities(req: Record<string, never>, done: CsiCallback<{ capabilities: NodeCapability[] }>): void;
  nodeStageVolume(req: { volumeId: string; stagingTargetPath: string; volumeCapability: VolumeCapability; volumeContext?: Record<string, string> }, done: CsiCallback<Record<string, never>>): void;
  nodeUnstageVolume(req: { volumeId: string; stagingTargetPath: string }, done: CsiCallback<Record<string, never>>): void;
  nodePublishVolume(
    req: { volumeId: string; stagingTargetPath?: string; targetPath: string; volumeCapability: VolumeCapability; readonly: boolean; volumeContext?: Record<string, string> },
    done: CsiCallback<Record<string, never>>,
  ): void;
  nodeUnpublishVolume(req: { volumeId: string; targetPath: string }, done: CsiCallback<Record<string, never>>): void;
}

export interface CsiController {
  createVolume(req: { name: string; capacityBytes: number }, done: CsiCallback<{ volume: { volumeId: string; capacityBytes: number } }>): void;
}

/** A driver as the kubelet knows it: its name and its Node service. */
export interface CsiDriver extends CsiNode {
  readonly name: string;
}
