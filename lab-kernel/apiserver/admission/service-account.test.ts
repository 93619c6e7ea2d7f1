import { describe, expect, it } from 'vitest';
import type { Pod, ServiceAccount } from '../../api/types';
import { admissionRequestFor, fixedAdmissionContext, runAdmission } from './chain';
import { nameSuffix, serviceAccountPlugin, tokenVolume, TOKEN_MOUNT_PATH } from './service-account';

function pod(spec: Partial<Pod['spec']> = {}, annotations?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'dev', annotations },
    spec: { containers: [{ name: 'web', image: 'nginx' }], ...spec },
  };
}

function account(name: string, extra: Partial<ServiceAccount> = {}): ServiceAccount {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'dev' }, ...extra };
}

const plugin = serviceAccountPlugin();

function mutate(p: Pod, accounts: ServiceAccount[] = [account('default')]) {
  const req = admissionRequestFor('CREATE', p);
  const result = runAdmission([plugin], req, fixedAdmissionContext(accounts), 'mutating');
  return { pod: req.object as Pod, status: result.error?.status };
}

describe('ServiceAccount admission', () => {
  it('a pod that names no service account runs as "default"', () => {
    expect(mutate(pod()).pod.spec.serviceAccountName).toBe('default');
  });

  it('a pod naming a service account that does not exist is 403 "error looking up service account"', () => {
    expect(mutate(pod({ serviceAccountName: 'builder' })).status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "web" is forbidden: error looking up service account dev/builder: serviceaccount "builder" not found',
    });
  });

  it('until the default service account exists, no pod without one is admitted', () => {
    expect(mutate(pod(), []).status?.message).toBe('pods "web" is forbidden: error looking up service account dev/default: serviceaccount "default" not found');
  });

  it('mounts the projected kube-api-access volume read-only at the token path in every container and init container', () => {
    const { pod: admitted } = mutate(pod({ initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }] }));
    const volume = admitted.spec.volumes?.[0];
    expect(volume?.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume).toEqual(tokenVolume(volume!.name));
    expect(volume?.projected?.sources).toEqual([
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ]);
    for (const c of [...admitted.spec.initContainers!, ...admitted.spec.containers]) {
      expect(c.volumeMounts).toEqual([{ name: volume!.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    }
  });

  it('the volume name suffix is deterministic: the same pod gets the same name every run', () => {
    expect(mutate(pod()).pod.spec.volumes![0].name).toBe(mutate(pod()).pod.spec.volumes![0].name);
    expect(nameSuffix('dev/web')).not.toBe(nameSuffix('dev/api'));
  });

  it('a container that already mounts something at the token path is left alone', () => {
    const own = { name: 'mine', mountPath: TOKEN_MOUNT_PATH };
    const { pod: admitted } = mutate(pod({ containers: [{ name: 'web', image: 'nginx', volumeMounts: [own] }] }));
    expect(admitted.spec.containers[0].volumeMounts).toEqual([own]);
    expect(admitted.spec.volumes).toBeUndefined();
  });

  it("automountServiceAccountToken: the pod's choice wins over the service account's", () => {
    expect(mutate(pod({ automountServiceAccountToken: false })).pod.spec.volumes).toBeUndefined();
    const optedOut = [account('default', { automountServiceAccountToken: false })];
    expect(mutate(pod(), optedOut).pod.spec.volumes).toBeUndefined();
    expect(mutate(pod({ automountServiceAccountToken: true }), optedOut).pod.spec.volumes).toHaveLength(1);
  });

  it("copies the service account's imagePullSecrets into a pod that has none", () => {
    const withPullSecret = [account('default', { imagePullSecrets: [{ name: 'registry' }] })];
    expect(mutate(pod(), withPullSecret).pod.spec.imagePullSecrets).toEqual([{ name: 'registry' }]);
    expect(mutate(pod({ imagePullSecrets: [{ name: 'mine' }] }), withPullSecret).pod.spec.imagePullSecrets).toEqual([{ name: 'mine' }]);
  });

  it('mirror pods are not changed, and may not reference a service account or secrets', () => {
    const mirror = { 'kubernetes.io/config.mirror': 'static' };
    const { pod: admitted, status } = mutate(pod({}, mirror), []);
    expect(status).toBeUndefined();
    expect(admitted.spec.serviceAccountName).toBeUndefined();
    expect(admitted.spec.volumes).toBeUndefined();
    expect(mutate(pod({ serviceAccountName: 'default' }, mirror)).status?.message).toBe('pods "web" is forbidden: a mirror pod may not reference service accounts');
    expect(mutate(pod({ volumes: [{ name: 's', secret: { secretName: 'db' } }] }, mirror)).status?.message).toBe(
      'pods "web" is forbidden: a mirror pod may not reference secrets',
    );
  });

  it('validation refuses a pod whose service account is gone by the time it is validated', () => {
    const req = admissionRequestFor('CREATE', pod({ serviceAccountName: 'default' }));
    expect(runAdmission([plugin], req, fixedAdmissionContext([]), 'validating').error?.code).toBe(403);
    expect(runAdmission([plugin], req, fixedAdmissionContext([account('default')]), 'validating').outcome).toBe('admitted');
  });

  it('only pod creation is admitted here: updates and subresources pass untouched', () => {
    expect(plugin.operations).toEqual(['CREATE']);
    const binding = admissionRequestFor('CREATE', pod(), { subresource: 'binding' });
    expect(runAdmission([plugin], binding, fixedAdmissionContext([]), 'mutating').outcome).toBe('admitted');
    expect((binding.object as Pod).spec.serviceAccountName).toBeUndefined();
  });
});
