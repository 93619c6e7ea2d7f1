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
    // The pod as it was when it showed ErrImagePull (a later read may already show ImagePullBackOff).
    let seen: Pod | undefined;
    expect(cluster.runUntil(() => (seen = web())?.status?.containerStatuses?.[0].state?.waiting?.reason === 'ErrImagePull', 10_000)).toBe(true);
    const pod = seen!;
    // The other container starts all the same; the pod stays Pending until every container runs.
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.containerStatuses?.map((c) => c.state?.waiting?.reason ?? Object.keys(c.state ?? {})[0])).toEqual(['ErrImagePull', 'running']);
    expect(cluster.kubectl.get('pods').toString()).toMatch(/^web\s+1\/2\s+(ErrImagePull|ImagePullBackOff)\s+0\s+/m);
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

  it('tries a missing image again 10 s, 20 s, then 40 s after each failed pull (the image back-off, since its last update)', () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply(podWith('nginx:9.9'));
    cluster.runFor(90_000);
    const pulls = cluster.trace.all().filter((e) => e.actor.startsWith('kubelet/') && e.summary === 'PullImage nginx:9.9 for default/web').map((e) => e.time);
    const failures = cluster.trace.all().filter((e) => e.actor.startsWith('containerd/') && e.kind === 'error' && e.summary.includes('nginx:9.9')).map((e) => e.time);
    expect(pulls.length).toBeGreaterThanOrEqual(4);
    // Each retry waits out its delay after the failure before, and comes with the kubelet's next sync (within about 15 s).
    for (const [i, delay] of [10_000, 20_000, 40_000].entries()) {
      expect(pulls[i + 1] - failures[i], `retry ${i + 1}`).toBeGreaterThanOrEqual(delay);
      expect(pulls[i + 1] - failures[i], `retry ${i + 1}`).toBeLessThan(delay + 15_000);
    }
  });
});
