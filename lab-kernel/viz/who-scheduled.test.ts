import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { whoScheduled } from './who-scheduled';

describe('whoScheduled', () => {
  it("shows each pod's scheduler, node, PodScheduled and the scheduling events with who signed them", () => {
    const cluster = createCluster({ seed: 2 });
    const pod = (name: string, extra: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n${extra}  containers: [{ name: app, image: nginx:1.27 }]\n`;
    cluster.apply([pod('by-default', ''), pod('by-nobody', '  schedulerName: gpu-batch-scheduler\n'), pod('too-picky', '  nodeSelector: { disktype: ssd }\n')].join('---\n'));
    cluster.runFor(2_000);
    const [byDefault, byNobody, picky] = whoScheduled(cluster.kubectl, ['by-default', 'by-nobody', 'too-picky']);
    expect(byDefault).toMatchObject({ pod: 'by-default', 'spec.schedulerName': 'default-scheduler', phase: 'Running', PodScheduled: 'True', 'scheduling events (from)': 'Scheduled (default-scheduler)' });
    expect(byDefault.node).toMatch(/^node-\d$/);
    expect(byNobody).toEqual({ pod: 'by-nobody', 'spec.schedulerName': 'gpu-batch-scheduler', node: '<none>', phase: 'Pending', PodScheduled: '(no condition)', 'scheduling events (from)': '(none)' });
    expect(picky).toMatchObject({ node: '<none>', phase: 'Pending', PodScheduled: 'False', 'scheduling events (from)': 'FailedScheduling (default-scheduler)' });
  });
});
