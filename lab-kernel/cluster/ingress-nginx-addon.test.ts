import { describe, expect, it } from 'vitest';
import type { Deployment, Service } from '../api/types';
import { ingressNginxManifests } from './ingress-nginx-addon';

describe('the ingress-nginx install (baremetal manifest, abridged)', () => {
  it('runs one controller pod of the v1.11.3 image, probed on /healthz at 10254, behind a NodePort Service', () => {
    const objects = ingressNginxManifests();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/ingress-nginx',
      'ServiceAccount/ingress-nginx',
      'ClusterRole/ingress-nginx',
      'ClusterRoleBinding/ingress-nginx',
      'Deployment/ingress-nginx-controller',
      'Service/ingress-nginx-controller',
    ]);
    const deploy = objects[4] as Deployment;
    const c = deploy.spec.template.spec!.containers[0];
    expect([deploy.spec.replicas, c.image, c.readinessProbe?.httpGet]).toEqual([1, 'registry.k8s.io/ingress-nginx/controller:v1.11.3', { path: '/healthz', port: 10254, scheme: 'HTTP' }]);
    expect(c.args).toContain('--watch-ingress-without-class=true');
    const svc = objects[5] as Service;
    expect([svc.spec.type, svc.spec.ports?.map((p) => p.port)]).toEqual(['NodePort', [80, 443]]);
  });
});
