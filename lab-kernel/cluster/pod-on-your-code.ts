import type { Pod } from '../api/types';
import { parseManifests } from '../kubectl/kubectl';
import type { SlotId, SlotSource } from '../slots/slots';
import { failedAttempts } from '../viz/scheduling-attempts';
import { createCluster } from './cluster';

/**
 * One pod on a fresh cluster whose `slot` runs your code (exercises/), and what became of it:
 * where it runs, when the scheduler tried and failed, and what it reported in the pod's
 * PodScheduled condition. A cluster that cannot even start on your file (a syntax error, a
 * missing export) gives a row that says so instead of throwing.
 *
 *   podOnYourCode('node-resources-fit', tryPod)
 *   // with the stub => { slot: 'node-resources-fit', pod: 'Pending', 'attempts (virtual s)': '0.0, 1.2, 3.2',
 *   //                    'what the scheduler reported': 'running "NodeResourcesFit" filter plugin: not implemented yet: node-resources-fit' }
 *   // when it works => { slot: 'node-resources-fit', pod: 'Running on node-2', 'attempts (virtual s)': '-',
 *   //                    'what the scheduler reported': 'scheduled' }
 *
 * The cluster has the chapter's seed 1 and runs 4 s after the pod is applied (both options);
 * the attempts are counted in seconds from the apply (a cluster on some unfinished slots boots
 * slowly: its kube-proxy pods cannot be placed or run, and it waits for them for 30 s).
 */
export interface PodOnYourCodeOptions {
  seed?: number;
  runMs?: number;
  /** Whose code the slot runs (default 'exercise': yours). */
  source?: SlotSource;
}

export interface PodOnYourCodeRow {
  slot: string;
  pod: string;
  'attempts (virtual s)': string;
  'what the scheduler reported': string;
}

export function podOnYourCode(slot: SlotId, manifest: string, options: PodOnYourCodeOptions = {}): PodOnYourCodeRow {
  const name = parseManifests(manifest)[0].metadata.name!;
  try {
    const mine = createCluster({ seed: options.seed ?? 1, use: { [slot]: options.source ?? 'exercise' } });
    const applied = mine.now();
    mine.apply(manifest);
    mine.runFor(options.runMs ?? 4000);
    const [pod] = mine.kubectl.getObjects<Pod>('pods', name);
    const attempts = failedAttempts(mine.trace, `default/${name}`);
    return {
      slot,
      pod: `${pod.status?.phase}${pod.spec.nodeName ? ' on ' + pod.spec.nodeName : ''}`,
      'attempts (virtual s)': attempts.map((t) => ((t - applied) / 1000).toFixed(1)).join(', ') || '-',
      'what the scheduler reported': pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? 'scheduled',
    };
  } catch (err) {
    return { slot, pod: '-', 'attempts (virtual s)': '-', 'what the scheduler reported': `could not start a cluster on your code: ${(err as Error).message}` };
  }
}
