import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/types';
import type { AdmissionPlugin } from '../pipeline-types';
import { alwaysPullImagesPlugin } from './always-pull-images';
import { admissionRequestFor, fixedAdmissionContext, runAdmission } from './chain';

function pod(image = 'registry.example/private:1.0'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'dev', labels: { app: 'web' } },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' }],
      containers: [{ name: 'web', image, imagePullPolicy: 'IfNotPresent' }],
    },
  };
}

const ctx = fixedAdmissionContext([]);
const plugin = alwaysPullImagesPlugin();

describe('AlwaysPullImages admission', () => {
  it('sets imagePullPolicy Always on every container and init container', () => {
    const req = admissionRequestFor('CREATE', pod());
    expect(runAdmission([plugin], req, ctx, 'mutating').steps[0].outcome).toBe('mutated');
    const p = req.object as Pod;
    expect([...p.spec.initContainers!, ...p.spec.containers].map((c) => c.imagePullPolicy)).toEqual(['Always', 'Always']);
  });

  it('refuses, in validation, a pod a later mutating plugin set back to IfNotPresent', () => {
    const sneaky: AdmissionPlugin = { name: 'Sneaky', mutate: (req) => void ((req.object as Pod).spec.containers[0].imagePullPolicy = 'IfNotPresent') };
    const req = admissionRequestFor('CREATE', pod());
    runAdmission([plugin, sneaky], req, ctx, 'mutating');
    expect(runAdmission([plugin], req, ctx, 'validating').error?.status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "web" is forbidden: spec.containers[0].imagePullPolicy: Unsupported value: "IfNotPresent": supported values: "Always"',
    });
  });

  it('an update that brings no new image is left alone (relabelling a pod forces no pulls)', () => {
    const old = pod();
    const relabelled = { ...pod(), metadata: { ...old.metadata, labels: { app: 'web', tier: 'front' } } };
    const req = admissionRequestFor('UPDATE', relabelled, { oldObject: old });
    expect(runAdmission([plugin], req, ctx, 'mutating').steps[0].outcome).toBe('ok');
    expect(runAdmission([plugin], req, ctx, 'validating').outcome).toBe('admitted');
  });

  it('an update that changes an image is forced to pull', () => {
    const req = admissionRequestFor('UPDATE', pod('registry.example/private:2.0'), { oldObject: pod() });
    runAdmission([plugin], req, ctx, 'mutating');
    expect((req.object as Pod).spec.containers[0].imagePullPolicy).toBe('Always');
  });

  it('subresources such as status are not checked', () => {
    const req = admissionRequestFor('UPDATE', pod('registry.example/private:2.0'), { oldObject: pod(), subresource: 'status' });
    expect(runAdmission([plugin], req, ctx, 'validating').outcome).toBe('admitted');
  });
});
