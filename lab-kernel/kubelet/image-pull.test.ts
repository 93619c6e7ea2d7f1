import { describe, expect, it } from 'vitest';
import type { Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import { printEvents } from '../kubectl/events-printer';

const podWith = (image: string) => `
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: web, image: "${image}"}
  - {name: log, image: "busybox:1.36", command: [sleep, "3600"]}
`;

describe('the kubelet pulling from the simulated registry', () => {
  it("fails to pull an image the registry lacks with containerd's message, ErrImagePull, and a Pending pod", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(podWith('nginx:9.9'));
    const web = () => cluster.kubectl.getObjects('pods', 'web')[0] as Pod | undefined;
    expect(cluster.runUntil(() => web()?.status?.containerStatuses?.[0].state?.waiting?.reason === 'ErrImagePull', 10_000)).toBe(true);
    const pod = web()!;
    // The other container starts all the same; the pod stays Pending until every container runs.
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.containerStatuses?.map((c) => c.state?.waiting?.reason ?? Object.keys(c.state ?? {})[0])).toEqual(['ErrImagePull', 'running']);
    expect(cluster.kubectl.get('pods').toString()).toMatch(/^web\s+1\/2\s+ErrImagePull\s+0\s+/m);
    const events = printEvents(cluster.kubectl.getObjects('events'), cluster.now()).records().filter((r) => r.TYPE === 'Warning');
    expect(events.map((r) => r.MESSAGE)).toEqual([
      'Failed to pull image "nginx:9.9": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.9": failed to resolve reference "docker.io/library/nginx:9.9": docker.io/library/nginx:9.9: not found',
      'Error: ErrImagePull',
    ]);
  });

  it("reports the registry's size of an image it pulled", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(podWith('nginx:1.27'));
    cluster.runFor(3000);
    const pulled = printEvents(cluster.kubectl.getObjects('events'), cluster.now()).records().filter((r) => r.REASON === 'Pulled').map((r) => r.MESSAGE);
    expect(pulled).toEqual([
      expect.stringMatching(/^Successfully pulled image "nginx:1.27" in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: 72195292 bytes\.$/),
      expect.stringMatching(/^Successfully pulled image "busybox:1.36" in .* Image size: 2155000 bytes\.$/),
    ]);
    expect((cluster.kubectl.getObjects('pods', 'web')[0] as Pod).status?.phase).toBe('Running');
  });
});
