import { describe, expect, it } from 'vitest';
import type { PersistentVolumeClaim } from '../../api/types';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_RWOP_CONFLICT, readWriteOncePodStatus } from './volume-restrictions';
import { testNode, testPod } from './testing';

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
