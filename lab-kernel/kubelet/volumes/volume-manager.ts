import { objectKey } from '../../api/resources';
import type { Container, PersistentVolume, PersistentVolumeClaim, Pod, Volume } from '../../api/types';
import type { Client } from '../../client/client';
import type { EventRecorder } from '../../client/event-recorder';
import type { Mount } from '../../runtime/cri';
import type { CsiDriver } from '../../runtime/csi';
import type { HostFs } from '../../runtime/host-fs';
import type { Simulation } from '../../sim/simulation';
import { ConfigObjectCache } from './config-object-cache';
import { traceCsi } from './csi-trace';
import { csiPublishPath, csiStagingPath } from './volume-paths';
import { requiresRemount, setUpPodVolume, tearDownPodVolume } from './volume-plugins';

/**
 * The kubelet's volume manager (pkg/kubelet/volumemanager): the desired state of the world (the
 * volumes of the pods bound to this node) against the actual one (what is mounted, for which
 * pod), made to agree before a pod's containers start and after the pod is gone.
 *
 *   mountPod(pod)    every volume of the pod set up (volume-plugins.ts); a persistentVolumeClaim
 *                    resolved through its bound PV (GET the claim, GET the volume) to its source:
 *                    hostPath/local (the local-path provisioner's), or CSI: NodeStageVolume to the
 *                    driver's global staging path once per node, then NodePublishVolume to the pod's
 *                    folder (volume-paths.ts); done() once all are, else an error: the pod stays
 *                    ContainerCreating and its worker retries
 *   unmountPod(uid)  NodeUnpublishVolume, then NodeUnstageVolume when no other pod uses the volume;
 *                    the pod's own folders removed
 *
 * A failed set-up records Warning FailedMount `MountVolume.SetUp failed for volume "<name>" :
 * <error>` (MountVolume.MountDevice for a failed stage) and waits an exponential back-off of its
 * own (500 ms, doubling, at most 2m2s) before the next try. A claim not yet bound is no event,
 * only a volume left unmounted.
 *
 * Lab simplifications: there is no reconciler loop every 100 ms nor a 2m3s WaitForAttachAndMount;
 * the pod's sync mounts what is missing and fails at once if something is, and the pod worker
 * retries 10-15 s later. In 1.32 the kubelet records no event when that wait times out
 * (`Unable to attach or mount volumes: unmounted volumes=[...]` only reaches the log, since
 * kubelet.go skips the event for an interrupted wait), so the lab records none either. No
 * attach/detach (VolumeAttachment): the CSI driver is registered as needing none.
 */
/** nestedpendingoperations' exponential back-off of a failed volume operation. */
const INITIAL_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 2 * 60_000 + 2_000;

export interface VolumeManagerDeps {
  sim: Simulation;
  client: Client;
  recorder: EventRecorder;
  hostFs: HostFs;
  /** The kubelet's name in the trace, and its node's. */
  component: string;
  node: string;
  /** The CSI drivers registered on the node, by name. */
  drivers: ReadonlyMap<string, CsiDriver>;
}

/** A mounted volume's use of the node's disk (volumeUsage). */
export interface VolumeUsage {
  name: string;
  usedBytes: number;
  local: boolean;
  ephemeral: boolean;
}

interface MountedVolume {
  volume: Readonly<Volume>;
  path: string;
  readOnly: boolean;
  csi?: { driver: CsiDriver; volumeId: string; staging?: string; pv: string };
}

export class VolumeManager {
  /** The ConfigMaps and Secrets the node's pods refer to (config-object-cache.ts). */
  readonly objects: ConfigObjectCache;
  /** The actual state of the world: pod uid => volume name => what is mounted. */
  private readonly mounted = new Map<string, Map<string, MountedVolume>>();
  /** Staged CSI volumes: staging path => the pods using it. */
  private readonly staged = new Map<string, Set<string>>();
  private readonly backoff = new Map<string, { retryAt: number; durationMs: number }>();

  constructor(private readonly d: VolumeManagerDeps) {
    this.objects = new ConfigObjectCache(d.sim, d.client);
  }

  /** Mounts the pod's volumes that are not yet (and sets up again the ones that follow an object); done(error) if some are still unmounted. */
  mountPod(pod: Readonly<Pod>, done: (error?: string) => void): void {
    const volumes = pod.spec.volumes ?? [];
    if (volumes.length === 0) return done();
    this.objects.register(pod);
    this.objects.whenSynced(pod, () => {
      const unmounted: string[] = [];
      const each = (i: number): void => {
        if (i === volumes.length) return done(unmounted.length === 0 ? undefined : `unmounted volumes=[${unmounted.join(' ')}]`);
        this.mountVolume(pod, volumes[i], (ok) => {
          if (!ok) unmounted.push(volumes[i].name);
          each(i + 1);
        });
      };
      each(0);
    });
  }

  /** The pod's mounted volumes: name => the host path its containers mount. */
  podVolumes(uid: string): ReadonlyMap<string, { path: string; readOnly: boolean }> {
    return this.mounted.get(uid) ?? new Map();
  }

  /**
   * The volume stats of a pod's mounted volumes on the node's disk (`du` of each directory), as
   * the Summary lists them; `local` marks those the eviction manager counts as the pod's disk use
   * (localVolumeNames: hostPath, an emptyDir not in memory, configMap), and `ephemeral` those the
   * pod's ephemeral-storage stats add up (all but hostPath). Claims are not listed: their data is
   * on the volume's own storage.
   *   volumeUsage(uid)  // => [{ name: 'cache', usedBytes: 1073741824, local: true, ephemeral: true }, { name: 'config', usedBytes: 24, local: true, ephemeral: true }]
   */
  volumeUsage(uid: string): VolumeUsage[] {
    return [...(this.mounted.get(uid) ?? new Map<string, MountedVolume>())].flatMap(([name, m]) => {
      const v = m.volume;
      if (v.persistentVolumeClaim !== undefined || m.csi !== undefined) return [];
      const local = v.hostPath !== undefined || v.configMap !== undefined || (v.emptyDir !== undefined && v.emptyDir.medium !== 'Memory');
      return [{ name, usedBytes: this.d.hostFs.usedBytes(m.path), local, ephemeral: v.hostPath === undefined }];
    });
  }

  /**
   * makeMounts (kubelet_pods.go): the CRI mounts of a container, one per volumeMount, from the
   * volume's host path (a subPath under it). Upstream a subPath of a ConfigMap volume is a bind
   * mount of the file as it was and never sees an update; the lab's follows the file.
   *   containerMounts(pod, { volumeMounts: [{ name: 'config', mountPath: '/etc/config' }] })
   *   // => [{ containerPath: '/etc/config', hostPath: '/var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~configmap/config', readonly: true }]
   */
  containerMounts(pod: Readonly<Pod>, c: Readonly<Container>): Mount[] {
    const volumes = this.podVolumes(pod.metadata.uid!);
    return (c.volumeMounts ?? []).flatMap((m) => {
      const v = volumes.get(m.name);
      if (v === undefined) return [];
      return [{ containerPath: m.mountPath, hostPath: m.subPath ? `${v.path}/${m.subPath}` : v.path, readonly: m.readOnly === true || v.readOnly }];
    });
  }

  /** Unmounts every volume of a pod that is gone; done once they all are. */
  unmountPod(uid: string, done: () => void): void {
    const volumes = [...(this.mounted.get(uid)?.values() ?? [])];
    this.objects.unregister(uid);
    for (const key of this.backoff.keys()) if (key.startsWith(`${uid}/`)) this.backoff.delete(key);
    const each = (i: number): void => {
      if (i === volumes.length) {
        this.mounted.delete(uid);
        return done();
      }
      const m = volumes[i];
      if (m.csi === undefined) {
        tearDownPodVolume(m.volume, m.path, this.d.hostFs);
        return each(i + 1);
      }
      this.unmountCsi(uid, m, () => each(i + 1));
    };
    each(0);
  }

  stop(): void {
    this.objects.stop();
  }

  private mountVolume(pod: Readonly<Pod>, v: Readonly<Volume>, done: (ok: boolean) => void): void {
    const uid = pod.metadata.uid!;
    if (this.mounted.get(uid)?.has(v.name) && !requiresRemount(v)) return done(true);
    if ((this.backoff.get(`${uid}/${v.name}`)?.retryAt ?? 0) > this.d.sim.now()) return done(false);
    if (v.persistentVolumeClaim !== undefined) return this.mountClaim(pod, v, done);
    const result = setUpPodVolume(pod, v, this.d.hostFs, this.objects);
    // A remount that fails leaves the volume mounted, with its old files.
    if ('error' in result) return done(this.failed(pod, v.name, 'MountVolume.SetUp', v.name, result.error) || this.mounted.get(uid)?.has(v.name) === true);
    this.markMounted(uid, v, { volume: v, path: result.path, readOnly: result.readOnly });
    done(true);
  }

  /** The desired state of the world populator's claim lookup: GET the claim, then its bound volume. */
  private mountClaim(pod: Readonly<Pod>, v: Readonly<Volume>, done: (ok: boolean) => void): void {
    const namespace = pod.metadata.namespace!;
    const readOnly = v.persistentVolumeClaim!.readOnly === true;
    this.d.client.request({ verb: 'get', resource: 'persistentvolumeclaims', namespace, name: v.persistentVolumeClaim!.claimName }, (res) => {
      const claim = res.code === 200 ? (res.body as PersistentVolumeClaim) : undefined;
      if (claim?.status?.phase !== 'Bound' || !claim.spec.volumeName) return done(false);
      this.d.client.request({ verb: 'get', resource: 'persistentvolumes', name: claim.spec.volumeName }, (res2) => {
        if (res2.code !== 200) return done(false);
        const pv = res2.body as PersistentVolume;
        const local = pv.spec.hostPath?.path ?? pv.spec.local?.path;
        if (local !== undefined) {
          this.markMounted(pod.metadata.uid!, v, { volume: v, path: local, readOnly });
          return done(true);
        }
        if (pv.spec.csi !== undefined) return this.mountCsi(pod, v, pv, readOnly, done);
        done(this.failed(pod, v.name, 'MountVolume.SetUp', pv.metadata.name!, `the lab has no volume plugin for persistent volume "${pv.metadata.name}"`));
      });
    });
  }

  /** csi_attacher.go MountDevice (NodeStageVolume, if the driver stages), then csi_mounter.go SetUp (NodePublishVolume). */
  private mountCsi(pod: Readonly<Pod>, v: Readonly<Volume>, pv: Readonly<PersistentVolume>, readOnly: boolean, done: (ok: boolean) => void): void {
    const uid = pod.metadata.uid!;
    const pvName = pv.metadata.name!;
    const { driver: driverName, volumeHandle } = pv.spec.csi!;
    const driver = this.d.drivers.get(driverName);
    if (driver === undefined) {
      return done(this.failed(pod, v.name, 'MountVolume.MountDevice', pvName, `kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name ${driverName} not found in the list of registered CSI drivers`));
    }
    const to = `${driverName}/${this.d.node}`;
    const capability = { mount: {}, accessMode: 'SINGLE_NODE_WRITER' as const };
    const about = `${pvName} for ${objectKey(pod)}`;
    driver.nodeGetCapabilities({}, (_e, caps) => {
      const staging = caps?.capabilities.includes('STAGE_UNSTAGE_VOLUME') ? csiStagingPath(driverName, volumeHandle) : undefined;
      const publish = () => {
        const targetPath = csiPublishPath(uid, pvName);
        traceCsi(this.d.sim, this.d.component, to, `NodePublishVolume ${about}`);
        driver.nodePublishVolume({ volumeId: volumeHandle, stagingTargetPath: staging, targetPath, volumeCapability: capability, readonly: readOnly }, (err) => {
          if (err !== undefined) return done(this.failed(pod, v.name, 'MountVolume.SetUp', pvName, err.message));
          if (staging !== undefined) this.staged.get(staging)!.add(uid);
          this.markMounted(uid, v, { volume: v, path: targetPath, readOnly, csi: { driver, volumeId: volumeHandle, staging, pv: pvName } });
          done(true);
        });
      };
      if (staging === undefined || this.staged.has(staging)) return publish();
      traceCsi(this.d.sim, this.d.component, to, `NodeStageVolume ${about}`);
      driver.nodeStageVolume({ volumeId: volumeHandle, stagingTargetPath: staging, volumeCapability: capability }, (err) => {
        if (err !== undefined) return done(this.failed(pod, v.name, 'MountVolume.MountDevice', pvName, err.message));
        this.staged.set(staging, new Set());
        publish();
      });
    });
  }

  private unmountCsi(uid: string, m: MountedVolume, done: () => void): void {
    const { driver, volumeId, staging, pv } = m.csi!;
    const to = `${driver.name}/${this.d.node}`;
    traceCsi(this.d.sim, this.d.component, to, `NodeUnpublishVolume ${pv} for pod ${uid}`);
    driver.nodeUnpublishVolume({ volumeId, targetPath: m.path }, () => {
      const users = staging === undefined ? undefined : this.staged.get(staging);
      users?.delete(uid);
      if (staging === undefined || users === undefined || users.size > 0) return done();
      traceCsi(this.d.sim, this.d.component, to, `NodeUnstageVolume ${pv}`);
      driver.nodeUnstageVolume({ volumeId, stagingTargetPath: staging }, () => {
        this.staged.delete(staging);
        done();
      });
    });
  }

  private markMounted(uid: string, v: Readonly<Volume>, m: MountedVolume): void {
    let pod = this.mounted.get(uid);
    if (pod === undefined) this.mounted.set(uid, (pod = new Map()));
    pod.set(v.name, m);
    this.backoff.delete(`${uid}/${v.name}`);
  }

  /** A failed operation: the FailedMount event, the volume's next back-off step. Answers false (not mounted). */
  private failed(pod: Readonly<Pod>, volumeName: string, operation: string, shownName: string, error: string): false {
    this.d.recorder.event(pod, 'Warning', 'FailedMount', `${operation} failed for volume "${shownName}" : ${error}`);
    const key = `${pod.metadata.uid}/${volumeName}`;
    const last = this.backoff.get(key)?.durationMs;
    const durationMs = last === undefined ? INITIAL_BACKOFF_MS : Math.min(last * 2, MAX_BACKOFF_MS);
    this.backoff.set(key, { retryAt: this.d.sim.now() + durationMs, durationMs });
    return false;
  }
}
