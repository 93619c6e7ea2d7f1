import { describe, expect, it } from 'vitest';
import { podNamed, ranExample } from './docs-examples.fixture';

describe('kubectl describe pod', () => {
  it("prints a pod of nginx-deployment: node, IP, controller, container state, conditions, the service account volume, QoS, tolerations and the kubelet's Events", () => {
    const cluster = ranExample('nginx');
    expect(cluster.kubectl.describe('pod', podNamed(cluster, 'nginx-deployment'))).toBe(`Name:             nginx-deployment-655b5d595c-kft2p
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-2/192.168.1.12
Start Time:       Wed, 01 Jan 2025 00:00:03 +0000
Labels:           app=nginx
                  pod-template-hash=655b5d595c
Annotations:      <none>
Status:           Running
IP:               10.244.2.3
IPs:
  IP:           10.244.2.3
Controlled By:  ReplicaSet/nginx-deployment-655b5d595c
Containers:
  nginx:
    Container ID:   containerd://e395ca43da807d45e4195937bbaad6ff98bb78ad295449276060d637836a5ef0
    Image:          nginx:1.14.2
    Image ID:       docker.io/library/nginx@sha256:2884e1b0477c09262eee7547d5c95bd54a0dc397fff3365283ec4d447e67c9a9
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Wed, 01 Jan 2025 00:00:04 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-7mrff (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-7mrff:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  31s   default-scheduler  Successfully assigned default/nginx-deployment-655b5d595c-kft2p to node-2
  Normal  Pulling    31s   kubelet            spec.containers{nginx}: Pulling image "nginx:1.14.2"
  Normal  Pulled     30s   kubelet            spec.containers{nginx}: Successfully pulled image "nginx:1.14.2" in 1.086s (1.086s including waiting). Image size: 44708492 bytes.
  Normal  Created    30s   kubelet            spec.containers{nginx}: Created container: nginx
  Normal  Started    30s   kubelet            spec.containers{nginx}: Started container nginx
`);
  });
});
