import { describe, expect, it } from 'vitest';
import { applyPatch, PatchError, type Json } from './patch';

const deployment: Json = {
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }, { name: 'log', image: 'fluentd' }] } },
  },
};

describe('JSON merge patch (RFC 7386)', () => {
  it('replaces the keys it names, deletes those set to null, and keeps the rest', () => {
    const out = applyPatch(deployment, { spec: { replicas: 3 }, metadata: { labels: { tier: null } } }, 'application/merge-patch+json') as any;
    expect(out.spec.replicas).toBe(3);
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect(out.spec.template.spec.containers).toHaveLength(2);
  });

  it('replaces a list whole: patching one container drops the other', () => {
    const out = applyPatch(deployment, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }, 'application/merge-patch+json') as any;
    expect(out.spec.template.spec.containers).toEqual([{ name: 'web', image: 'nginx:1.27' }]);
  });

  it('leaves the original untouched', () => {
    const before = JSON.stringify(deployment);
    applyPatch(deployment, { spec: { replicas: 9 } }, 'application/merge-patch+json');
    expect(JSON.stringify(deployment)).toBe(before);
  });
});

describe('strategic merge patch', () => {
  it('merges containers by name: one image changes, the other container stays', () => {
    const out = applyPatch(deployment, { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }, 'application/strategic-merge-patch+json') as any;
    expect(out.spec.template.spec.containers).toEqual([
      { name: 'web', image: 'nginx:1.27' },
      { name: 'log', image: 'fluentd' },
    ]);
  });

  it('replaces a map marked $patch: replace whole: what the patch leaves out is gone', () => {
    const out = applyPatch(deployment, { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }, 'application/strategic-merge-patch+json') as any;
    expect(out.spec.template).toEqual({ spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
  });

  it('appends a container whose name is new', () => {
    const out = applyPatch(deployment, { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'envoy' }] } } } }, 'application/strategic-merge-patch+json') as any;
    expect(out.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'log', 'sidecar']);
  });
});

describe('strategic merge patch: keys that depend on where the list is', () => {
  it("merges a Service's ports by port, and a container's ports by containerPort", () => {
    const service: Json = { spec: { ports: [{ name: 'http', port: 80, targetPort: 80 }, { name: 'https', port: 443, targetPort: 443 }] } };
    const out = applyPatch(service, { spec: { ports: [{ port: 80, targetPort: 8080 }] } }, 'application/strategic-merge-patch+json') as any;
    expect(out.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 443 }]);
    const pod: Json = { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80, name: 'http' }] }] } };
    const patched = applyPatch(pod, { spec: { containers: [{ name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } }, 'application/strategic-merge-patch+json') as any;
    expect(patched.spec.containers[0].ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
  });

  it('removes a keyed item marked $patch: delete, and only that one', () => {
    const out = applyPatch(deployment, { spec: { template: { spec: { containers: [{ name: 'log', $patch: 'delete' }] } } } }, 'application/strategic-merge-patch+json') as any;
    expect(out.spec.template.spec.containers).toEqual([{ name: 'web', image: 'nginx:1.26' }]);
  });

  it('adds to metadata.finalizers as a set instead of replacing it (patchStrategy merge)', () => {
    const out = applyPatch({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: ['b', 'a'] } }, 'application/strategic-merge-patch+json') as any;
    expect(out.metadata.finalizers).toEqual(['a', 'b']);
  });

  it('takes values out of metadata.finalizers with $deleteFromPrimitiveList/finalizers, and a controller reference out by uid', () => {
    const pod = { metadata: { uid: 'p1', finalizers: ['a', 'batch.kubernetes.io/job-tracking'], ownerReferences: [{ uid: 'j1', kind: 'Job' }, { uid: 'c1', kind: 'ConfigMap' }] } };
    const patch = { metadata: { uid: 'p1', ownerReferences: [{ $patch: 'delete', uid: 'j1' }], '$deleteFromPrimitiveList/finalizers': ['batch.kubernetes.io/job-tracking'] } };
    const out = applyPatch(pod, patch, 'application/strategic-merge-patch+json') as any;
    expect(out.metadata).toEqual({ uid: 'p1', finalizers: ['a'], ownerReferences: [{ uid: 'c1', kind: 'ConfigMap' }] });
  });
});

describe('JSON patch (RFC 6902)', () => {
  it('applies operations in order: test, replace, add to a list, remove', () => {
    const out = applyPatch(
      deployment,
      [
        { op: 'test', path: '/spec/replicas', value: 2 },
        { op: 'replace', path: '/spec/replicas', value: 5 },
        { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'x', image: 'busybox' } },
        { op: 'remove', path: '/metadata/labels/tier' },
      ],
      'application/json-patch+json',
    ) as any;
    expect(out.spec.replicas).toBe(5);
    expect(out.spec.template.spec.containers[2]).toEqual({ name: 'x', image: 'busybox' });
    expect(out.metadata.labels).toEqual({ app: 'web' });
  });

  it('is all or nothing: a failed test applies none of the operations (a client-side compare-and-swap)', () => {
    expect(() => applyPatch(deployment, [{ op: 'replace', path: '/spec/replicas', value: 5 }, { op: 'test', path: '/spec/replicas', value: 2 }], 'application/json-patch+json')).toThrow(
      'testing value /spec/replicas failed',
    );
    expect((deployment as any).spec.replicas).toBe(2);
  });

  it('moves and copies values, and unescapes ~1 as / in pointers', () => {
    const doc: Json = { metadata: { annotations: { 'example.com/a': 'x' } } };
    const out = applyPatch(
      doc,
      [
        { op: 'copy', from: '/metadata/annotations/example.com~1a', path: '/metadata/annotations/b' },
        { op: 'move', from: '/metadata/annotations/b', path: '/metadata/annotations/c' },
      ],
      'application/json-patch+json',
    ) as any;
    expect(out.metadata.annotations).toEqual({ 'example.com/a': 'x', c: 'x' });
  });

  it('a path that does not exist is a 422 naming it; a body that is not a list is a 400', () => {
    const run = (p: unknown) => {
      try {
        applyPatch(deployment, p, 'application/json-patch+json');
      } catch (err) {
        return err as PatchError;
      }
      throw new Error('no error');
    };
    expect(run([{ op: 'remove', path: '/spec/nope' }])).toMatchObject({ code: 422, message: 'remove operation does not apply: doc is missing path: "/spec/nope"' });
    expect(run({ op: 'remove' })).toMatchObject({ code: 400 });
  });
});
