import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { bindingChain } from './binding-chain';
import { formatJourney } from './pod-journey';

describe('bindingChain', () => {
  const cluster = createCluster({ seed: 1 });
  const t = cluster.now();
  cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: hello }\nspec:\n  containers: [{ name: app, image: nginx:1.27 }]\n');
  cluster.runFor(2_000);
  const chain = bindingChain(cluster.trace.between(t, Infinity), 'default/hello');

  it('follows the pod from the scheduler hearing of it to its kubelet asking for a sandbox, each step after the last', () => {
    const seqs = chain.steps.map((s) => s.event?.seq ?? -1);
    expect(seqs.every((s) => s >= 0)).toBe(true);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(chain.steps[2].event?.summary).toBe('create pods/binding default/hello');
    const node = /-> (\S+)/.exec(chain.steps[1].event!.summary)![1];
    expect(chain.steps[4].event?.to).toBe(`kubelet/${node}`);
    expect(chain.steps[5].event?.data?.cri).toBe('RunPodSandbox');
    expect(chain.end).toBe(chain.steps[5].event?.time);
    expect(formatJourney(chain)).toMatch(/^ 1\. the scheduler hears of the pod \(no node yet\)\n .*kube-apiserver -> kube-scheduler/);
  });

  it('stops where the chain breaks, and ignores other pods', () => {
    const bindingSeq = chain.steps[2].event!.seq;
    const cut = bindingChain(cluster.trace.between(t, Infinity).filter((e) => e.seq < bindingSeq), 'default/hello');
    expect(cut.steps.map((s) => s.event !== undefined)).toEqual([true, true, false, false, false, false]);
    expect(bindingChain(cluster.trace.between(t, Infinity), 'default/other').steps.every((s) => s.event === undefined)).toBe(true);
  });
});
