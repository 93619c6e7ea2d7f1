import { describe, expect, it } from 'vitest';
import { ranExample } from './docs-examples.fixture';

describe('kubectl describe daemonset', () => {
  it("prints the docs' fluentd-elasticsearch DaemonSet on all three nodes: node counts, limits and requests, hostPath volume, tolerations and Events", () => {
    const cluster = ranExample('fluentd');
    expect(cluster.kubectl.describe('daemonset', 'fluentd-elasticsearch', { namespace: 'kube-system' })).toBe(`Name:           fluentd-elasticsearch
Namespace:      kube-system
Selector:       name=fluentd-elasticsearch
Node-Selector:  <none>
Labels:         k8s-app=fluentd-logging
Annotations:    deprecated.daemonset.template.generation: 1
Desired Number of Nodes Scheduled: 3
Current Number of Nodes Scheduled: 3
Number of Nodes Scheduled with Up-to-date Pods: 3
Number of Nodes Scheduled with Available Pods: 3
Number of Nodes Misscheduled: 0
Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  name=fluentd-elasticsearch
  Containers:
   fluentd-elasticsearch:
    Image:      quay.io/fluentd_elasticsearch/fluentd:v2.5.2
    Port:       <none>
    Host Port:  <none>
    Limits:
      memory:  200Mi
    Requests:
      cpu:        100m
      memory:     200Mi
    Environment:  <none>
    Mounts:
      /var/log from varlog (rw)
  Volumes:
   varlog:
    Type:          HostPath (bare host directory volume)
    Path:          /var/log
    HostPathType:  
  Node-Selectors:  <none>
  Tolerations:     node-role.kubernetes.io/control-plane:NoSchedule op=Exists
                   node-role.kubernetes.io/master:NoSchedule op=Exists
Events:
  Type    Reason            Age   From                  Message
  ----    ------            ----  ----                  -------
  Normal  SuccessfulCreate  33s   daemonset-controller  Created pod: fluentd-elasticsearch-tdcn2
  Normal  SuccessfulCreate  33s   daemonset-controller  Created pod: fluentd-elasticsearch-tnhtt
  Normal  SuccessfulCreate  33s   daemonset-controller  Created pod: fluentd-elasticsearch-kft2p
`);
  });
});
