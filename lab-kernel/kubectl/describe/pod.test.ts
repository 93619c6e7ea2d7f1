import { describe, expect, it } from 'vitest';
import { podNamed, ranExample } from './docs-examples.fixture';

describe('kubectl describe pod', () => {
  it("prints a pod of nginx-deployment: node, IP, controller, container state, conditions, the service account volume, QoS, tolerations and the kubelet's Events", () => {
    const cluster = ranExample('nginx');
    expect(cluster.kubectl.describe('pod', podNamed(cluster, 'nginx-deployment'))).toBe(`Name:             nginx-deployment-655b5d595c-8s4f6
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/192.168.1.11
Start Time:       Wed, 01 Jan 2025 00:00:01 +0000
Labels:           app=nginx
                  pod-template-hash=655b5d595c
Annotations:      <none>
Status:           Running
IP:               10.244.1.2
IPs:
  IP:           10.244.1.2
Controlled By:  ReplicaSet/nginx-deployment-655b5d595c
Containers:
  nginx:
    Container ID:   containerd://d421d58e5621b6ad153989e6f4d791ea423a5cae3679c79834e481fa5cf61751
    Image:          nginx:1.14.2
    Image ID:       docker.io/library/nginx@sha256:2884e1b0477c09262eee7547d5c95bd54a0dc397fff3365283ec4d447e67c9a9
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Wed, 01 Jan 2025 00:00:03 +0000
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
  Normal  Scheduled  32s   default-scheduler  Successfully assigned default/nginx-deployment-655b5d595c-8s4f6 to node-1
  Normal  Pulling    31s   kubelet            spec.containers{nginx}: Pulling image "nginx:1.14.2"
  Normal  Pulled     30s   kubelet            spec.containers{nginx}: Successfully pulled image "nginx:1.14.2" in 947ms (947ms including waiting). Image size: 44708492 bytes.
  Normal  Created    30s   kubelet            spec.containers{nginx}: Created container: nginx
  Normal  Started    30s   kubelet            spec.containers{nginx}: Started container nginx
`);
  });
});
