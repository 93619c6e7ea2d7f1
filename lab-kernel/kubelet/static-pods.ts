import { createHash } from 'crypto';
import { canonicalJson } from '../api/object-hash';
import { timestamp } from '../api/time';
import type { Pod } from '../api/types';

/**
 * Static pods: pods the kubelet runs from manifest files in its folder
 * (/etc/kubernetes/manifests), with no API server involved — which is how the API server
 * itself, etcd and the rest of kubeadm's control plane start. For each the kubelet posts a
 * read-only "mirror pod", so that `kubectl get pods -n kube-system` shows them.
 *
 *   staticPod(manifest etcd, 'control-plane', 0)
 *   // => name 'etcd-control-plane', uid = md5 of the manifest, the node and the source,
 *   //    annotations kubernetes.io/config.hash (= the uid), config.source 'file', config.seen
 *   mirrorPodOf(that, nodeUid)
 *   // => the same pod, annotation kubernetes.io/config.mirror = the hash, owned by the Node;
 *   //    the API server gives it a uid of its own
 *
 * As pkg/kubelet/config/common.go (applyDefaults: the name, the uid from the hash) and
 * pkg/kubelet/pod/mirror_client.go (CreateMirrorPod) do. The kubelet reports a static pod's
 * status on its mirror pod.
 */
export const CONFIG_HASH = 'kubernetes.io/config.hash';
export const CONFIG_MIRROR = 'kubernetes.io/config.mirror';
export const CONFIG_SOURCE = 'kubernetes.io/config.source';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';

export function staticPod(manifest: Readonly<Pod>, node: string, seenMs: number): Pod {
  const pod = structuredClone(manifest) as Pod;
  const uid = createHash('md5').update(canonicalJson(manifest)).update(`host:${node}`).update('file:').digest('hex');
  pod.metadata = Object.assign({}, pod.metadata, {
    name: `${manifest.metadata.name}-${node}`,
    namespace: manifest.metadata.namespace ?? 'default',
    uid,
    annotations: Object.assign({}, pod.metadata.annotations, { [CONFIG_HASH]: uid, [CONFIG_SOURCE]: 'file', [CONFIG_SEEN]: timestamp(seenMs) }),
  });
  pod.spec = Object.assign({}, pod.spec, { nodeName: node });
  return pod;
}

export function mirrorPodOf(pod: Readonly<Pod>, nodeUid: string | undefined): Pod {
  const { uid: _uid, ...metadata } = structuredClone(pod.metadata);
  return Object.assign({}, structuredClone(pod), {
    metadata: Object.assign({}, metadata, {
      annotations: Object.assign({}, metadata.annotations, { [CONFIG_MIRROR]: pod.metadata.annotations![CONFIG_HASH] }),
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: pod.spec.nodeName!, uid: nodeUid, controller: true }] } : {}),
    }),
  });
}

/** A pod the API server holds as the mirror of a static pod: its static pod's uid, or undefined. */
export function mirroredUid(pod: Readonly<Pod>): string | undefined {
  return pod.metadata.annotations?.[CONFIG_MIRROR];
}
