import { describe, expect, it } from 'vitest';
import type { DaemonSet } from '../../api/types';
import { startApiServer } from '../api-server.fixture';
import { TEMPLATE_GENERATION_ANNOTATION } from './daemonset';

describe('a DaemonSet’s template generation', () => {
  it('is 1 on create, one more for each change of the template, and never what a client sends on update', () => {
    const { call } = startApiServer();
    const ds: DaemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } } },
    };
    const created = call({ verb: 'create', resource: 'daemonsets', namespace: 'default', body: ds }).body as DaemonSet;
    expect(created.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]).toBe('1');
    expect(created.metadata.generation).toBe(1);

    const image = structuredClone(created);
    image.spec.template.spec!.containers[0].image = 'busybox:latest';
    const updated = call({ verb: 'update', resource: 'daemonsets', namespace: 'default', name: 'agent', body: image }).body as DaemonSet;
    expect([updated.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], updated.metadata.generation]).toEqual(['2', 2]);

    const strategyOnly = structuredClone(updated);
    strategyOnly.spec.minReadySeconds = 5;
    strategyOnly.metadata.annotations = { ...strategyOnly.metadata.annotations, [TEMPLATE_GENERATION_ANNOTATION]: '9' };
    const same = call({ verb: 'update', resource: 'daemonsets', namespace: 'default', name: 'agent', body: strategyOnly }).body as DaemonSet;
    expect([same.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION], same.metadata.generation], 'the spec moved, the template did not').toEqual(['2', 3]);
  });
});
