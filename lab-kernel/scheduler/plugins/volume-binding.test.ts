import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../../api/request';
import type { PersistentVolumeClaim, StorageClass } from '../../api/types';
import type { Client } from '../../client/client';
import type { Status } from '../framework-types';
import { UPDATE_ACTIONS } from '../cluster-events';
import { claimsStatus, ERR_REASON_BIND_CONFLICT, volumeBindingPlugin } from './volume-binding';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';

const claim = (name: string, spec: PersistentVolumeClaim['spec'], deleting = false): PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
  spec,
});
const claims = [claim('bound', { volumeName: 'pv-1' }), claim('pending', {}), claim('leaving', { volumeName: 'pv-2' }, true), claim('solo', { volumeName: 'pv-3', accessModes: ['ReadWriteOncePod'] })];
const lister = (namespace: string, name: string) => claims.find((c) => c.metadata.namespace === namespace && c.metadata.name === name);
const using = (name: string, claimName: string) => testPod(name, {}, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] });

describe('VolumeBinding (simplified)', () => {
  const cases: [string, string, string | undefined][] = [
    ['a pod whose claim is bound can be scheduled', 'bound', undefined],
    ['a pod whose claim is not bound yet waits: "pod has unbound immediate PersistentVolumeClaims"', 'pending', ERR_REASON_BIND_CONFLICT],
    ['a pod whose claim does not exist waits: persistentvolumeclaim "x" not found', 'missing', 'persistentvolumeclaim "missing" not found'],
    ['a pod whose claim is being deleted waits', 'leaving', 'persistentvolumeclaim "leaving" is being deleted'],
  ];
  for (const [name, claimName, reason] of cases) {
    it(name, () => {
      const status = claimsStatus(using('p', claimName), lister);
      expect(status).toEqual(reason === undefined ? { code: 'Success', reasons: [] } : { code: 'UnschedulableAndUnresolvable', reasons: [reason] });
    });
  }
});

describe('VolumeBinding QueueingHints', () => {
  const plugin = volumeBindingPlugin(testHandle([]), { claims: lister });
  const inNamespace = (c: PersistentVolumeClaim, namespace: string): PersistentVolumeClaim => ({ ...c, metadata: { ...c.metadata, namespace } });
  const rows: [string, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['its claim created => Queue', event('PersistentVolumeClaim', 'Add'), undefined, claim('pending', {}), 'Queue'],
    ['its claim bound (an update) => Queue', event('PersistentVolumeClaim', ...UPDATE_ACTIONS), claim('pending', {}), claim('pending', { volumeName: 'pv-9' }), 'Queue'],
    ['another claim bound => QueueSkip', event('PersistentVolumeClaim', ...UPDATE_ACTIONS), claim('other', {}), claim('other', { volumeName: 'pv-9' }), 'QueueSkip'],
    ['a claim of the same name in another namespace => QueueSkip', event('PersistentVolumeClaim', 'Add'), undefined, inNamespace(claim('pending', {}), 'other'), 'QueueSkip'],
    ['its claim deleted => QueueSkip (not registered)', event('PersistentVolumeClaim', 'Delete'), claim('pending', {}), undefined, 'QueueSkip'],
    ['a node added => Queue (no hint)', event('Node', 'Add'), undefined, testNode('node-9'), 'Queue'],
    ['a node relabelled => Queue (no hint)', event('Node', 'UpdateNodeLabel'), testNode('node-9'), testNode('node-9'), 'Queue'],
    ['a taint change => Queue (the quirk)', event('Node', 'UpdateNodeTaint'), testNode('node-9'), testNode('node-9'), 'Queue'],
  ];
  it.each(rows)('%s', (_name, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, using('p', 'pending'), e, oldObj, newObj)).toBe(expected);
  });
});

describe('VolumeBinding and WaitForFirstConsumer', () => {
  const wffc: StorageClass = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' };
  const classes = (name: string) => (name === 'standard' ? wffc : undefined);
  const store = new Map<string, PersistentVolumeClaim>([['www', claim('www', { storageClassName: 'standard' })]]);
  const lister = (_ns: string, name: string) => store.get(name);

  it('lets a pod whose unbound claim waits for its first consumer through PreFilter', () => {
    expect(claimsStatus(using('p', 'www'), lister, classes)).toEqual({ code: 'Success', reasons: [] });
    expect(claimsStatus(using('p', 'www'), lister)).toEqual({ code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_BIND_CONFLICT] });
  });

  it('PreBind writes the chosen node into the claim, then waits until the claim is bound', () => {
    const requests: ApiRequest[] = [];
    const client = { request: (req: ApiRequest, answer: (res: ApiResponse) => void) => (requests.push(req), answer({ code: 200, body: req.body })) } as unknown as Client;
    const timers: (() => void)[] = [];
    const plugin = volumeBindingPlugin(testHandle([]), { claims: lister, classes, client, after: (_ms, fn) => void timers.push(fn) });
    let status: Status | undefined;
    plugin.preBind(new Map(), using('p', 'www'), 'node-1', (s) => (status = s));
    expect(requests.map((r) => [r.verb, r.name, (r.body as PersistentVolumeClaim).metadata.annotations])).toEqual([['update', 'www', { 'volume.kubernetes.io/selected-node': 'node-1' }]]);
    timers.shift()!();
    expect(status, 'still waiting: not bound yet').toBeUndefined();
    store.set('www', claim('www', { storageClassName: 'standard', volumeName: 'pvc-1' }));
    timers.shift()!();
    expect(status).toEqual({ code: 'Success', reasons: [] });
  });
});
