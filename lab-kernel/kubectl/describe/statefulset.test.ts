import { describe, expect, it } from 'vitest';
import { ranExample } from './docs-examples.fixture';

describe('kubectl describe statefulset', () => {
  it("prints the docs' web StatefulSet once its three pods are ready: partition, pods' phases, volume claim template and Events", () => {
    const cluster = ranExample('web');
    expect(cluster.kubectl.describe('statefulset', 'web')).toBe(`Name:               web
Namespace:          default
CreationTimestamp:  Wed, 01 Jan 2025 00:00:03 +0000
Selector:           app=nginx
Labels:             <none>
Annotations:        <none>
Replicas:           3 desired | 3 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:        registry.k8s.io/nginx-slim:0.24
    Port:         80/TCP
    Host Port:    0/TCP
    Environment:  <none>
    Mounts:
      /usr/share/nginx/html from www (rw)
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          www
  StorageClass:  my-storage-class
  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:
  Type    Reason            Age   From                    Message
  ----    ------            ----  ----                    -------
  Normal  SuccessfulCreate  65s   statefulset-controller  create Claim www-web-0 Pod web-0 in StatefulSet web success
  Normal  SuccessfulCreate  65s   statefulset-controller  create Pod web-0 in StatefulSet web successful
  Normal  SuccessfulCreate  50s   statefulset-controller  create Claim www-web-1 Pod web-1 in StatefulSet web success
  Normal  SuccessfulCreate  50s   statefulset-controller  create Pod web-1 in StatefulSet web successful
  Normal  SuccessfulCreate  35s   statefulset-controller  create Claim www-web-2 Pod web-2 in StatefulSet web success
  Normal  SuccessfulCreate  35s   statefulset-controller  create Pod web-2 in StatefulSet web successful
`);
  });
});
