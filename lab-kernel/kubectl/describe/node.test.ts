import { describe, expect, it } from 'vitest';
import { ranExample } from './docs-examples.fixture';

describe('kubectl describe node', () => {
  it("prints a worker node: lease, conditions, capacity, system info, its non-terminated pods with their shares of allocatable, and Events", () => {
    const cluster = ranExample('nginx');
    expect(cluster.kubectl.describe('node', 'node-1')).toBe(`Name:               node-1
Roles:              <none>
Labels:             kubernetes.io/hostname=node-1
                    kubernetes.io/os=linux
Annotations:        <none>
CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000
Taints:             <none>
Unschedulable:      false
Lease:
  HolderIdentity:  node-1
  AcquireTime:     <unset>
  RenewTime:       Wed, 01 Jan 2025 00:00:30 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Wed, 01 Jan 2025 00:00:30 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Wed, 01 Jan 2025 00:00:30 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   Wed, 01 Jan 2025 00:00:30 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    Wed, 01 Jan 2025 00:00:30 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  192.168.1.11
  Hostname:    node-1
Capacity:
  cpu:     4
  memory:  8Gi
  pods:    110
Allocatable:
  cpu:     4
  memory:  8Gi
  pods:    110
System Info:
  Machine ID:                 
  System UUID:                
  Boot ID:                    
  Kernel Version:             
  OS Image:                   kubelab simulated Linux
  Operating System:           
  Architecture:               
  Container Runtime Version:  containerd://1.7.24
  Kubelet Version:            v1.32.0
PodCIDR:                      10.244.1.0/24
Non-terminated Pods:          (2 in total)
  Namespace                   Name                                 CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                                 ------------  ----------  ---------------  -------------  ---
  default                     nginx-deployment-655b5d595c-tnhtt    0 (0%)        0 (0%)      0 (0%)           0 (0%)         31s
  kube-system                 kube-proxy-8s4f6                     0 (0%)        0 (0%)      0 (0%)           0 (0%)         33s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests  Limits
  --------           --------  ------
  cpu                0 (0%)    0 (0%)
  memory             0 (0%)    0 (0%)
  ephemeral-storage  0 (0%)    0 (0%)
Events:
  Type    Reason    Age   From     Message
  ----    ------    ----  ----     -------
  Normal  Starting  34s   kubelet  Starting kubelet.
`);
  });
});
