import { describe, expect, it } from 'vitest';
import type { ControllerRevision, DaemonSet, Pod } from '../../api/types';
import { CONTROLLER_REVISION_HASH_LABEL, matchesTemplate, newRevision, revisionData, revisionHash, revisionsToDelete } from './controller-revisions';

const ds = (image: string, collisionCount?: number): DaemonSet => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-uid', annotations: { note: 'x' } },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image }] } } },
  ...(collisionCount !== undefined ? { status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, collisionCount } } : {}),
});
const revision = (n: number, hash: string): ControllerRevision => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: `agent-${hash}`, labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash } }, revision: n, data: {} });
const podOf = (hash: string) => ({ metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: hash } } }) as unknown as Pod;

describe("a DaemonSet's revisions", () => {
  it('are named <daemonset>-<hash of the template>, labelled with the hash, and hold the patch that puts the template back', () => {
    const hash = revisionHash(ds('busybox:1.36'));
    const r = newRevision(ds('busybox:1.36'), hash, 1);
    expect(r.metadata).toMatchObject({ name: `agent-${hash}`, labels: { app: 'agent', [CONTROLLER_REVISION_HASH_LABEL]: hash }, annotations: { note: 'x' }, ownerReferences: [{ kind: 'DaemonSet', uid: 'ds-uid', controller: true }] });
    expect(r.data).toEqual({ spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] }, $patch: 'replace' } } });
    expect(revisionData(ds('busybox:1.36'))).toEqual(r.data);
  });

  it('tell templates apart: another image is another hash and does not match; a collision count changes the hash only', () => {
    const r = newRevision(ds('busybox:1.36'), revisionHash(ds('busybox:1.36')), 1);
    expect(matchesTemplate(ds('busybox:1.36'), r)).toBe(true);
    expect(matchesTemplate(ds('busybox:latest'), r)).toBe(false);
    expect(revisionHash(ds('busybox:latest'))).not.toBe(revisionHash(ds('busybox:1.36')));
    expect(revisionHash(ds('busybox:1.36', 1))).not.toBe(revisionHash(ds('busybox:1.36')));
  });

  it('beyond revisionHistoryLimit, drop the oldest first, but never one a pod still runs', () => {
    const old = [revision(3, 'c'), revision(1, 'a'), revision(2, 'b')];
    expect(revisionsToDelete(old, [], 3)).toEqual([]);
    expect(revisionsToDelete(old, [], 1)).toEqual(['agent-a', 'agent-b']);
    expect(revisionsToDelete(old, [podOf('a')], 1)).toEqual(['agent-b', 'agent-c']);
    expect(revisionsToDelete(old, [podOf('a'), podOf('b')], 0)).toEqual(['agent-c']);
  });
});
