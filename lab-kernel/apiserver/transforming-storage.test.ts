import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types';
import { createCluster } from '../cluster/cluster';

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
data:
  password: ${Buffer.from('hunter2').toString('base64')}
`;

describe('Secrets encrypted at rest by the API server (T01.5)', () => {
  it('etcd holds only k8s:enc:aesgcm:v1:key1:... while kubectl reads the Secret back', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(SECRET);
    const raw = cluster.etcd.rawRange('/registry/secrets/default/db').kvs[0].value;
    expect(raw.startsWith('k8s:enc:aesgcm:v1:key1:')).toBe(true);
    expect(raw).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect(cluster.kubectl.getObjects<KubeObject>('secrets', 'db')[0].data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
  });

  it('on a replicated etcd too: every member stores ciphertext, because the API server encrypts before sending', () => {
    const cluster = createCluster({ seed: 1, etcdMembers: 3 });
    cluster.apply(SECRET);
    cluster.runFor(2_000);
    for (const name of cluster.etcdCluster!.names) {
      const value = cluster.etcdCluster!.member(name)!.store.rawRange('/registry/secrets/default/db').kvs[0]?.value ?? '';
      expect(value.startsWith('k8s:enc:aesgcm:v1:key1:'), name).toBe(true);
    }
    expect(cluster.kubectl.getObjects<KubeObject>('secrets', 'db')[0].data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
  });

  it('encryption: false stores Secrets as plain JSON, as a cluster without --encryption-provider-config does', () => {
    const cluster = createCluster({ seed: 1, encryption: false });
    cluster.apply(SECRET);
    expect(cluster.etcd.rawRange('/registry/secrets/default/db').kvs[0].value.startsWith('{')).toBe(true);
  });
});
