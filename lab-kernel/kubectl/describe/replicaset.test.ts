import { describe, expect, it } from 'vitest';
import { podNamed, ranExample } from './docs-examples.fixture';

describe('kubectl describe replicaset', () => {
  it("prints the nginx-deployment's ReplicaSet: its controller, replicas, pods' phases, pod template and Events", () => {
    const cluster = ranExample('nginx');
    expect(cluster.kubectl.describe('rs', podNamed(cluster, 'nginx-deployment').split('-').slice(0, 3).join('-'))).toBe(`Name:           nginx-deployment-655b5d595c
Namespace:      default
Selector:       app=nginx,pod-template-hash=655b5d595c
Labels:         app=nginx
                pod-template-hash=655b5d595c
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/nginx-deployment
Replicas:       3 current / 3 desired
Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
           pod-template-hash=655b5d595c
  Containers:
   nginx:
    Image:         nginx:1.14.2
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:
  Type    Reason            Age   From                   Message
  ----    ------            ----  ----                   -------
  Normal  SuccessfulCreate  31s   replicaset-controller  Created pod: nginx-deployment-655b5d595c-tdcn2
  Normal  SuccessfulCreate  31s   replicaset-controller  Created pod: nginx-deployment-655b5d595c-tnhtt
  Normal  SuccessfulCreate  31s   replicaset-controller  Created pod: nginx-deployment-655b5d595c-kft2p
`);
  });
});
