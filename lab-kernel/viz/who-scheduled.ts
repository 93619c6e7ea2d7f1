import type { KubeEvent, Pod } from '../api/types';
import type { Kubectl } from '../kubectl/kubectl';

/**
 * For each pod: which scheduler it asked for, where it went, and who said so: its
 * PodScheduled condition and its scheduling events (Scheduled, FailedScheduling) with the
 * component that signed them (the event's source.component).
 *
 *   whoScheduled(kubectl, ['by-default', 'by-nobody'])
 *   // => [{ pod: 'by-default', 'spec.schedulerName': 'default-scheduler', node: 'node-3', phase: 'Running',
 *   //       PodScheduled: 'True', 'scheduling events (from)': 'Scheduled (default-scheduler)' },
 *   //     { pod: 'by-nobody', 'spec.schedulerName': 'gpu-batch-scheduler', node: '<none>', phase: 'Pending',
 *   //       PodScheduled: '(no condition)', 'scheduling events (from)': '(none)' }]
 *
 * It reads through kubectl: one list of the namespace's events, then a get of each pod.
 */
export interface WhoScheduledRow {
  pod: string;
  'spec.schedulerName': string;
  node: string;
  phase: string;
  PodScheduled: string;
  'scheduling events (from)': string;
}

export function whoScheduled(kubectl: Pick<Kubectl, 'getObjects'>, pods: readonly string[], namespace = 'default'): WhoScheduledRow[] {
  const events = kubectl.getObjects<KubeEvent>('events', undefined, { namespace });
  return pods.map((name) => {
    const [p] = kubectl.getObjects<Pod>('pods', name, { namespace });
    const scheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const mine = events.filter((e) => e.involvedObject?.name === name && ['Scheduled', 'FailedScheduling'].includes(e.reason ?? ''));
    return {
      pod: name,
      'spec.schedulerName': p.spec.schedulerName ?? '',
      node: p.spec.nodeName ?? '<none>',
      phase: p.status?.phase ?? '',
      PodScheduled: scheduled ? scheduled.status : '(no condition)',
      'scheduling events (from)': mine.map((e) => `${e.reason} (${e.source?.component})`).join(', ') || '(none)',
    };
  });
}
