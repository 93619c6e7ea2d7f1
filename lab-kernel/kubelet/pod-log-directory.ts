/**
 * Where a pod's container logs live on the node (BuildPodLogsDirectory): one directory per pod,
 * one folder per container in it, one file per instance (`<attempt>.log`).
 *
 *   podLogDirectory({ namespace: 'default', name: 'web', uid: 'a1b2' })  // => '/var/log/pods/default_web_a1b2'
 */
export function podLogDirectory(pod: { namespace: string; name: string; uid: string }): string {
  return `/var/log/pods/${pod.namespace}_${pod.name}_${pod.uid}`;
}
