import { describe, expect, it } from 'vitest';
import type { KubeObject, Namespace, Pod } from '../../api/types';
import { admissionRequestFor, fixedAdmissionContext, runAdmission } from './chain';
import { isNamespaceTerminating, namespaceLifecyclePlugin } from './namespace-lifecycle';

function namespace(name: string, phase: 'Active' | 'Terminating' = 'Active'): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase } };
}

function pod(name: string, namespace: string): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
}

const ctx = fixedAdmissionContext([namespace('default'), namespace('kube-system'), namespace('dev'), namespace('leaving', 'Terminating')]);
const plugin = namespaceLifecyclePlugin();

function admit(operation: 'CREATE' | 'UPDATE' | 'DELETE', object: KubeObject) {
  const req = operation === 'DELETE' ? admissionRequestFor('DELETE', undefined, { oldObject: object }) : admissionRequestFor(operation, object, { oldObject: object });
  return runAdmission([plugin], req, ctx, 'mutating').error?.status;
}

describe('NamespaceLifecycle admission', () => {
  it('creating in a namespace that does not exist is 404 namespaces "<ns>" not found', () => {
    expect(admit('CREATE', pod('web', 'ghost'))).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "ghost" not found',
      details: { name: 'ghost', kind: 'namespaces' },
    });
  });

  it('updating an object whose namespace is gone is refused the same way', () => {
    expect(admit('UPDATE', pod('web', 'ghost'))?.code).toBe(404);
  });

  it('creating in a Terminating namespace is 403 Forbidden with a NamespaceTerminating cause', () => {
    const status = admit('CREATE', pod('web', 'leaving'));
    expect(status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "web" is forbidden: unable to create new content in namespace leaving because it is being terminated',
      details: { name: 'web', kind: 'pods', causes: [{ reason: 'NamespaceTerminating', message: 'namespace leaving is being terminated', field: 'metadata.namespace' }] },
    });
    expect(isNamespaceTerminating(status?.details?.causes)).toBe(true);
  });

  it('updating and deleting inside a Terminating namespace are allowed (its content must be able to go)', () => {
    expect(admit('UPDATE', pod('web', 'leaving'))).toBeUndefined();
    expect(admit('DELETE', pod('web', 'leaving'))).toBeUndefined();
  });

  it('creating in an Active namespace passes', () => {
    expect(admit('CREATE', pod('web', 'dev'))).toBeUndefined();
  });

  it('the immortal namespaces default, kube-system and kube-public may not be deleted', () => {
    for (const name of ['default', 'kube-system', 'kube-public']) {
      expect(admit('DELETE', namespace(name))).toMatchObject({
        code: 403,
        reason: 'Forbidden',
        message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
      });
    }
    expect(admit('DELETE', namespace('dev'))).toBeUndefined();
  });

  it('cluster-scoped objects and namespaces themselves are exempt from the existence check', () => {
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } };
    expect(admit('CREATE', node)).toBeUndefined();
    expect(admit('CREATE', namespace('brand-new'))).toBeUndefined();
  });

  it('runs in the mutating phase (it implements Admit), so it refuses before validation', () => {
    expect(plugin.mutate).toBeDefined();
    expect(plugin.validate).toBeUndefined();
  });
});
