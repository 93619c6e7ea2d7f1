import { describe, expect, it } from 'vitest';
import { ranExample } from './docs-examples.fixture';

describe('kubectl describe service', () => {
  it("prints the docs' my-service with three ready pods: cluster IP, port, target port, endpoints, and Events: <none>", () => {
    const cluster = ranExample('my-service');
    expect(cluster.kubectl.describe('service', 'my-service')).toBe(`Name:                     my-service
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app.kubernetes.io/name=MyApp
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.104.11.154
IPs:                      10.104.11.154
Port:                     <unset>  80/TCP
TargetPort:               9376/TCP
Endpoints:                10.244.1.2:9376,10.244.2.2:9376,10.244.2.3:9376
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
`);
  });
});
