import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../api/types';
import { createCluster } from '../cluster/cluster';
import type { Image } from '../runtime/cri';
import { nodeStatusImages } from './node-images';

const image = (id: string, size: number, tags: string[] = [`example.com/${id}:1`], digests: string[] = [`example.com/${id}@sha256:${id}`]): Image =>
  ({ id: `sha256:${id}`, repoTags: tags, repoDigests: digests, size, pinned: false });

describe("the node status's images", () => {
  it('lists the largest images first, the larger image ID first on a tie, each named by its digests then its tags', () => {
    const images = nodeStatusImages([image('b', 10), image('c', 30), image('a', 10), image('d', 20)]);
    expect(images.map((i) => `${i.names[1]} ${i.sizeBytes}`)).toEqual(['example.com/c:1 30', 'example.com/d:1 20', 'example.com/b:1 10', 'example.com/a:1 10']);
    expect(images[0].names).toEqual(['example.com/c@sha256:c', 'example.com/c:1']);
  });

  it('keeps at most 50 images (nodeStatusMaxImages) and 5 names per image', () => {
    const many = Array.from({ length: 60 }, (_, i) => image(`i${String(i).padStart(2, '0')}`, 1000 + i));
    const images = nodeStatusImages(many);
    expect(images).toHaveLength(50);
    expect(images.at(-1)!.sizeBytes).toBe(1010);
    const tags = Array.from({ length: 4 }, (_, i) => `example.com/x:${i}`);
    expect(nodeStatusImages([image('x', 1, tags, ['example.com/x@sha256:1', 'example.com/x@sha256:2'])])[0].names).toEqual(['example.com/x@sha256:1', 'example.com/x@sha256:2', ...tags.slice(0, 3)]);
  });

  it("shows a pulled image on the Node within the image cache's 30 s and the next status sync, with the pause image", () => {
    const cluster = createCluster({ seed: 1 });
    cluster.apply('apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  nodeName: node-1\n  containers: [{ name: web, image: nginx:1.27 }]\n');
    cluster.runUntil(() => (cluster.apiServer.cache.get('pods', 'default', 'p') as Pod | undefined)?.status?.phase === 'Running', 20_000);
    const pulled = cluster.now();
    const images = () => (cluster.apiServer.cache.get('nodes', undefined, 'node-1') as Node).status?.images ?? [];
    expect(cluster.runUntil(() => images().some((i) => i.names.includes('docker.io/library/nginx:1.27')), 45_000)).toBe(true);
    expect(cluster.now() - pulled).toBeLessThanOrEqual(30_000 + 10_400 + 100);
    expect(images()[0]).toEqual({ names: [expect.stringMatching(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/), 'docker.io/library/nginx:1.27'], sizeBytes: 72_195_292 });
    expect(images().map((i) => i.names.at(-1))).toEqual(['docker.io/library/nginx:1.27', 'registry.k8s.io/kube-proxy:v1.32.0', 'registry.k8s.io/pause:3.10']);
  });
});
