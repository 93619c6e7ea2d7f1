import { describe, expect, it } from 'vitest';
import { timestamp } from '../../api/time';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../api/types';
import { newCondition, setCondition } from './conditions';
import { calculateStatus, rolloutStatus } from './deployment-status';

/**
 * A Deployment's status and its Progressing and Available conditions (sync.go calculateStatus,
 * progress.go syncRolloutStatus, deployment_util.go SetDeploymentCondition, DeploymentProgressing,
 * DeploymentTimedOut), on hand-made ReplicaSets.
 */
function rs(name: string, replicas: number, status: { replicas?: number; ready?: number; available?: number } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas, selector: {}, template: { spec: { containers: [] } } },
    status: { replicas: status.replicas ?? replicas, readyReplicas: status.ready ?? replicas, availableReplicas: status.available ?? replicas },
  };
}

function deployment(status: DeploymentStatus = {}, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', generation: 2 },
    spec: { replicas: 3, selector: {}, template: { spec: { containers: [] } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, progressDeadlineSeconds: 600, ...extra },
    status,
  };
}

const S = 1000;

describe('a Deployment’s status', () => {
  it('counts over its ReplicaSets: replicas and ready from their status, unavailable from their spec', () => {
    const s = calculateStatus([rs('old', 2), rs('new', 2, { available: 1, ready: 1 })], rs('new', 2, { available: 1, ready: 1 }), deployment(), 0);
    expect(s).toMatchObject({ observedGeneration: 2, replicas: 4, updatedReplicas: 2, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 });
  });

  it('is Available when available >= replicas - maxUnavailable, and says so in 1.32’s words', () => {
    const available = calculateStatus([rs('a', 3, { available: 3 })], undefined, deployment(), 0).conditions;
    expect(available).toEqual([{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: timestamp(0), lastTransitionTime: timestamp(0) }]);
    const short = calculateStatus([rs('a', 3, { available: 2 })], undefined, deployment(), 0).conditions;
    expect(short?.[0]).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  });

  it('keeps a condition whose status and reason are the same, and its transition time when only the reason changes', () => {
    const status: DeploymentStatus = {};
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'created', 10 * S));
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'again', 20 * S));
    expect(status.conditions?.[0]).toMatchObject({ message: 'created', lastUpdateTime: timestamp(10 * S) });
    setCondition(status, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'moved', 30 * S));
    expect(status.conditions?.[0]).toMatchObject({ reason: 'ReplicaSetUpdated', lastUpdateTime: timestamp(30 * S), lastTransitionTime: timestamp(10 * S) });
  });
});

describe('the Progressing condition', () => {
  const updating = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'x', lastUpdateTime: timestamp(0), lastTransitionTime: timestamp(0) } as const;

  it('is NewReplicaSetAvailable once every replica is updated and available', () => {
    const d = deployment({ replicas: 4, updatedReplicas: 2, conditions: [updating] });
    const r = rolloutStatus(d, [rs('new', 3)], rs('new', 3), 5 * S);
    expect(r.status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "new" has successfully progressed.' });
  });

  it('moves its lastUpdateTime on any progress, its lastTransitionTime not', () => {
    const d = deployment({ observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, conditions: [updating] });
    const r = rolloutStatus(d, [rs('old', 2), rs('new', 2, { available: 1, ready: 1 })], rs('new', 2, { available: 1, ready: 1 }), 7 * S);
    expect(r.status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ reason: 'ReplicaSetUpdated', message: 'ReplicaSet "new" is progressing.', lastUpdateTime: timestamp(7 * S), lastTransitionTime: timestamp(0) });
  });

  it('turns ProgressDeadlineExceeded once nothing moved for progressDeadlineSeconds, and asks to be looked at again before that', () => {
    const available = { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: timestamp(0), lastTransitionTime: timestamp(0) } as const;
    const stuck: DeploymentStatus = { observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1, conditions: [available, updating] };
    const rss = [rs('old', 3), rs('new', 1, { available: 0, ready: 0 })];
    const early = rolloutStatus(deployment(stuck, { progressDeadlineSeconds: 60 }), rss, rss[1], 20 * S);
    expect(early.unchanged, 'nothing to write yet').toBe(true);
    expect(early.checkAgain, 'requeueStuckDeployment: the time left (40 s) plus a second').toBe(41 * S);
    const late = rolloutStatus(deployment(stuck, { progressDeadlineSeconds: 60 }), rss, rss[1], 61 * S);
    expect(late.status.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "new" has timed out progressing.' });
  });
});
