import { describe, expect, it } from 'vitest';
import { call, containerConfig, node, ok, runPod, sandboxConfig } from './containerd.fixture';
import { IMAGE_FS_MOUNTPOINT } from './image-service';

const MISSING = 'nginx:9.9';

describe("the node's images (CRI ImageService)", () => {
  it('takes longer to pull a bigger image, about 50 MB/s after a registry round trip', () => {
    const { sim, runtime } = node();
    const took = (reference: string) => {
      const start = sim.now();
      ok(sim, runtime, 'pullImage', { image: { image: reference } });
      return sim.now() - start;
    };
    const busybox = took('busybox:1.36');
    const nginx = took('nginx:1.27');
    const perl = took('perl:5.34.0');
    expect(busybox).toBeLessThan(300);
    expect(nginx).toBeGreaterThan(1300);
    expect(nginx).toBeLessThan(1900);
    expect(perl).toBeGreaterThan(4 * nginx); // 336 MB against 72 MB
    expect(took('nginx:1.27')).toBeLessThanOrEqual(200); // present: only the round trip
  });

  it("fails a pull of an image the registry lacks with containerd's NotFound text", () => {
    const { sim, runtime } = node();
    const { err } = call(sim, runtime, 'pullImage', { image: { image: MISSING } });
    expect(err?.code).toBe('NotFound');
    expect(err?.message).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.9": failed to resolve reference "docker.io/library/nginx:9.9": docker.io/library/nginx:9.9: not found',
    );
    expect(sim.trace.all().at(-1)).toMatchObject({ kind: 'error', actor: 'containerd/node-1' });
  });

  it('lists what it pulled, by full tag and digest, with its size, and answers {} for an image it lacks', () => {
    const { sim, runtime } = node();
    const { imageRef } = ok(sim, runtime, 'pullImage', { image: { image: 'nginx:1.27' } });
    const { images } = ok(sim, runtime, 'listImages', {});
    expect(images).toEqual([
      { id: imageRef, repoTags: ['docker.io/library/nginx:1.27'], repoDigests: [expect.stringMatching(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/)], size: 72_195_292, pinned: false },
    ]);
    expect(ok(sim, runtime, 'imageStatus', { image: { image: 'docker.io/library/nginx:1.27' } }).image?.id).toBe(imageRef);
    expect(ok(sim, runtime, 'imageStatus', { image: { image: imageRef } }).image?.id).toBe(imageRef);
    expect(ok(sim, runtime, 'imageStatus', { image: { image: MISSING } })).toEqual({});
  });

  it('reports the bytes of its images in ImageFsInfo, the sandbox image pinned', () => {
    const { sim, runtime } = node();
    ok(sim, runtime, 'pullImage', { image: { image: 'busybox:1.36' } });
    ok(sim, runtime, 'runPodSandbox', { config: sandboxConfig('web') }); // pulls pause:3.10
    const [fs] = ok(sim, runtime, 'imageFsInfo', {}).imageFilesystems;
    expect([fs.fsId.mountpoint, fs.usedBytes]).toEqual([IMAGE_FS_MOUNTPOINT, 2_155_000 + 320_368]);
    expect(ok(sim, runtime, 'listImages', {}).images.map((i) => [i.repoTags[0], i.pinned])).toEqual([
      ['docker.io/library/busybox:1.36', false],
      ['registry.k8s.io/pause:3.10', true],
    ]);
  });

  it('removes an image a running container uses, as containerd does: the container runs on, a new one cannot be created', () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('web');
    const { sandboxId, ids } = runPod(sim, runtime, config, [containerConfig('web', 'nginx:1.27')]);
    expect(call(sim, runtime, 'removeImage', { image: { image: 'nginx:1.27' } }).err).toBeUndefined();
    expect(ok(sim, runtime, 'listImages', {}).images.map((i) => i.repoTags[0])).toEqual(['registry.k8s.io/pause:3.10']);
    const status = ok(sim, runtime, 'containerStatus', { containerId: ids[0] }).status;
    expect([status.state, status.image.image, status.imageRef]).toEqual(['CONTAINER_RUNNING', 'nginx:1.27', expect.stringMatching(/^sha256:/)]);
    const again = call(sim, runtime, 'createContainer', { podSandboxId: sandboxId, config: containerConfig('web2', 'nginx:1.27'), sandboxConfig: config });
    expect(again.err?.message).toBe('rpc error: code = NotFound desc = failed to resolve image "nginx:1.27": not found');
    expect(call(sim, runtime, 'removeImage', { image: { image: 'nginx:1.27' } }).err).toBeUndefined(); // gone already: no error
  });
});
