import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../api/types';
import { startApiServer } from '../api-server.fixture';

/**
 * A Deployment through /status takes everything but its spec and labels
 * (pkg/registry/apps/deployment/strategy.go, deploymentStatusStrategy.PrepareForUpdate): that
 * is how the Deployment controller sets its revision annotation without a new generation.
 */
describe('a Deployment through its status subresource', () => {
  it('takes the annotations and the status, keeps the spec and the labels, and the generation does not move', () => {
    const { call } = startApiServer();
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    };
    const created = call({ verb: 'create', resource: 'deployments', namespace: 'default', body: d }).body as Deployment;
    const sent: Deployment = {
      ...created,
      metadata: { ...created.metadata, labels: { app: 'other' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { ...created.spec, replicas: 7 },
      status: { observedGeneration: 1, replicas: 3 },
    };
    const res = call({ verb: 'update', resource: 'deployments', namespace: 'default', name: 'web', subresource: 'status', body: sent });
    expect(res.code).toBe(200);
    const stored = res.body as Deployment;
    expect(stored.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(stored.metadata.labels).toEqual({ app: 'web' });
    expect(stored.spec.replicas).toBe(3);
    expect(stored.status).toEqual({ observedGeneration: 1, replicas: 3 });
    expect(stored.metadata.generation).toBe(created.metadata.generation);
  });
});
