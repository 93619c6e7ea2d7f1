import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from '../../api/types';
import { nodeInfoFor } from '../node-info';
import { UPDATE_ACTIONS } from '../cluster-events';
import { ERR_REASON_RWOP_CONFLICT, readWriteOncePodStatus, volumeRestrictionsPlugin } from './volume-restrictions';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';

const claims: PersistentVolumeClaim[] = [
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'shared', namespace: 'default' }, spec: { volumeName: 'pv-1', accessModes: ['ReadWriteOnce'] } },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'solo', namespace: 'default' }, spec: { volumeName: 'pv-3', accessModes: ['ReadWriteOncePod'] } },
];
const lister = (namespace: string, name: string) => claims.find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
const using = (name: string, claimName: string) => testPod(name, {}, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] });

describe('VolumeRestrictions', () => {
  it('a ReadWriteOncePod claim already used by a pod keeps a second pod out everywhere', () => {
    const nodes = [nodeInfoFor(testNode('node-1'), [using('first', 'solo')])];
    expect(readWriteOncePodStatus(using('second', 'solo'), lister, nodes)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_RWOP_CONFLICT] });
  });

  it('a ReadWriteOnce claim may be shared by pods (on one node)', () => {
    const nodes = [nodeInfoFor(testNode('node-1'), [using('first', 'shared')])];
    expect(readWriteOncePodStatus(using('second', 'shared'), lister, nodes).code).toBe('Success');
  });
});

describe('VolumeRestrictions QueueingHints', () => {
  const plugin = volumeRestrictionsPlugin(testHandle([]), { claims: lister });
  const bound = (name: string, claimName: string, namespace = 'default') => ({ ...using(name, claimName), metadata: { ...using(name, claimName).metadata, namespace }, spec: { ...using(name, claimName).spec, nodeName: 'node-1' } });
  const rows: [string, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['a pod using the same claim deleted => Queue', event('AssignedPod', 'Delete'), bound('holder', 'solo'), undefined, 'Queue'],
    ['a pod using another claim deleted => QueueSkip', event('AssignedPod', 'Delete'), bound('holder', 'shared'), undefined, 'QueueSkip'],
    ['a pod of another namespace using a claim of that name deleted => QueueSkip', event('AssignedPod', 'Delete'), bound('holder', 'solo', 'other'), undefined, 'QueueSkip'],
    ['its claim created => Queue', event('PersistentVolumeClaim', 'Add'), undefined, claims[1], 'Queue'],
    ['its claim updated => QueueSkip (it registered only Add)', event('PersistentVolumeClaim', ...UPDATE_ACTIONS), claims[1], claims[1], 'QueueSkip'],
    ['a node added => Queue (no hint)', event('Node', 'Add'), undefined, testNode('node-9'), 'Queue'],
    ['a taint change => Queue (the quirk)', event('Node', 'UpdateNodeTaint'), testNode('node-9'), testNode('node-9'), 'Queue'],
    ['a label change => QueueSkip', event('Node', 'UpdateNodeLabel'), testNode('node-9'), testNode('node-9'), 'QueueSkip'],
  ];
  it.each(rows)('%s', (_name, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, using('p', 'solo'), e, oldObj, newObj)).toBe(expected);
  });
});
