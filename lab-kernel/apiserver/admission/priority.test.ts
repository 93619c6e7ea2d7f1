import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import { createCluster } from '../../cluster/cluster';

const pod = (name: string, spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n${spec}  containers: [{ name: c, image: 'nginx:1.27' }]\n`;
const HIGH = `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: high }\nvalue: 1000\n`;

describe('the Priority admission plugin', () => {
  const cluster = createCluster({ seed: 1 });
  cluster.apply(HIGH);
  const created = (name: string) => cluster.kubectl.getObjects<Pod>('pods', name)[0].spec;

  it("copies the PriorityClass's value into spec.priority, with its preemption policy", () => {
    cluster.apply(pod('important', '  priorityClassName: high\n'));
    expect(created('important')).toMatchObject({ priority: 1000, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('gives a pod without a class priority 0 when no class is the global default', () => {
    cluster.apply(pod('plain', ''));
    expect(created('plain').priority).toBe(0);
  });

  it('refuses an unknown class, and a priority the pod set itself, in kube-apiserver words', () => {
    expect(() => cluster.apply(pod('lost', '  priorityClassName: nope\n'))).toThrow('pods "lost" is forbidden: no PriorityClass with name nope was found');
    expect(() => cluster.apply(pod('cheater', '  priority: 5000\n'))).toThrow(
      'pods "cheater" is forbidden: the integer value of priority (5000) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    );
  });

  it('serves the system classes, and keeps user classes at or below 1,000,000,000', () => {
    expect(cluster.kubectl.get('priorityclasses').records().map((r) => `${r.NAME} ${r.VALUE}`)).toEqual(['high 1000', 'system-cluster-critical 2000000000', 'system-node-critical 2000001000']);
    expect(() => cluster.apply(`apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: huge }\nvalue: 2000000000\n`)).toThrow('maximum allowed value of a user defined priority is 1000000000');
  });

  it('lets one class only be the global default, and uses it for pods without a class', () => {
    cluster.apply(`apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: normal }\nvalue: 100\nglobalDefault: true\n`);
    expect(() => cluster.apply(`apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: { name: other }\nvalue: 7\nglobalDefault: true\n`)).toThrow('PriorityClass normal is already marked as default. Only one default can exist');
    cluster.apply(pod('defaulted', ''));
    expect(created('defaulted')).toMatchObject({ priority: 100, priorityClassName: 'normal' });
  });
});
