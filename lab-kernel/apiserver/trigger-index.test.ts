import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { TriggerIndex } from './trigger-index';

interface TestWatcher {
  name: string;
  req: { trigger?: { field: string; value: string } };
}

const untriggered = (name: string): TestWatcher => ({ name, req: {} });
const kubelet = (node: string): TestWatcher => ({ name: `kubelet/${node}`, req: { trigger: { field: 'spec.nodeName', value: node } } });
const podOn = (node: string | undefined): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: node === undefined ? {} : { nodeName: node } }) as KubeObject;
const names = (ws: Iterable<TestWatcher>) => [...ws].map((w) => w.name);

describe('the watch cache index of watchers by trigger', () => {
  it('hands a pod change to every untriggered watcher and to the kubelet of its node only, in the order they came', () => {
    const index = new TriggerIndex<TestWatcher>();
    for (const w of [kubelet('node-1'), untriggered('scheduler'), kubelet('node-2'), untriggered('replicaset-controller'), kubelet('node-3')]) index.add(w);
    expect(names(index.relevantTo(() => [undefined, podOn('node-2')]))).toEqual(['scheduler', 'kubelet/node-2', 'replicaset-controller']);
  });

  it('hands a pod that moved off a node to the kubelets of both nodes, once each', () => {
    const index = new TriggerIndex<TestWatcher>();
    for (const w of [kubelet('node-3'), kubelet('node-1'), untriggered('scheduler')]) index.add(w);
    expect(names(index.relevantTo(() => [podOn('node-1'), podOn('node-3'), podOn('node-1')]))).toEqual(['kubelet/node-3', 'kubelet/node-1', 'scheduler']);
  });

  it('does not decode the objects when no watcher has a trigger, and forgets a watcher that stopped', () => {
    const index = new TriggerIndex<TestWatcher>();
    const scheduler = untriggered('scheduler');
    index.add(scheduler);
    expect(names(index.relevantTo(() => expect.fail('objects asked for')))).toEqual(['scheduler']);
    const k = kubelet('node-1');
    index.add(k);
    expect([names(index.all()), index.size]).toEqual([['scheduler', 'kubelet/node-1'], 2]);
    index.remove(scheduler);
    expect(names(index.relevantTo(() => [podOn('node-1')]))).toEqual(['kubelet/node-1']);
    index.remove(k);
    expect(names(index.relevantTo(() => [podOn('node-1')]))).toEqual([]);
    expect(index.size).toBe(0);
  });

  it('hands an unscheduled pod only to the untriggered watchers', () => {
    const index = new TriggerIndex<TestWatcher>();
    for (const w of [kubelet('node-1'), untriggered('scheduler')]) index.add(w);
    expect(names(index.relevantTo(() => [undefined, podOn(undefined)]))).toEqual(['scheduler']);
  });
});
