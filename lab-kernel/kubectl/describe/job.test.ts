import { describe, expect, it } from 'vitest';
import { ranExample } from './docs-examples.fixture';

describe('kubectl describe job', () => {
  it("prints the docs' pi Job once complete: completions, start and completion times, duration, pods' counts and Events", () => {
    const cluster = ranExample('pi');
    expect(cluster.kubectl.describe('job', 'pi')).toBe(`Name:             pi
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid=7a366b2b-4a96-4b1a-bd4b-6f13d98281f5
Labels:           batch.kubernetes.io/controller-uid=7a366b2b-4a96-4b1a-bd4b-6f13d98281f5
                  batch.kubernetes.io/job-name=pi
                  controller-uid=7a366b2b-4a96-4b1a-bd4b-6f13d98281f5
                  job-name=pi
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    4
Start Time:       Wed, 01 Jan 2025 00:00:03 +0000
Completed At:     Wed, 01 Jan 2025 00:00:23 +0000
Duration:         20s
Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed
Pod Template:
  Labels:  batch.kubernetes.io/controller-uid=7a366b2b-4a96-4b1a-bd4b-6f13d98281f5
           batch.kubernetes.io/job-name=pi
           controller-uid=7a366b2b-4a96-4b1a-bd4b-6f13d98281f5
           job-name=pi
  Containers:
   pi:
    Image:      perl:5.34.0
    Port:       <none>
    Host Port:  <none>
    Command:
      perl
      -Mbignum=bpi
      -wle
      print bpi(2000)
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:
  Type    Reason            Age   From            Message
  ----    ------            ----  ----            -------
  Normal  SuccessfulCreate  50s   job-controller  Created pod: pi-tdcn2
  Normal  Completed         30s   job-controller  Job completed
`);
  });
});
