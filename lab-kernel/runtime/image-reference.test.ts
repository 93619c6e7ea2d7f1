import { describe, expect, it } from 'vitest';
import { ImageReferenceError, normalizeImage, parseImage } from './image-reference';

describe('normalizeImage (docker/distribution ParseNormalizedNamed, then the default tag)', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['bitnami/redis:7.4', 'docker.io/bitnami/redis:7.4'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10'],
    ['registry.k8s.io/e2e-test-images/agnhost:2.53', 'registry.k8s.io/e2e-test-images/agnhost:2.53'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost/app:v2', 'localhost/app:v2'],
    ['example.com/ml/model-server:2.1', 'example.com/ml/model-server:2.1'],
    ['busybox@sha256:' + 'a'.repeat(64), 'docker.io/library/busybox@sha256:' + 'a'.repeat(64)],
  ])('%s => %s', (reference, full) => {
    expect(normalizeImage(reference)).toBe(full);
  });

  it('keeps a tag and a digest apart', () => {
    expect(parseImage('nginx:1.27@sha256:' + 'b'.repeat(64))).toEqual({ domain: 'docker.io', path: 'library/nginx', tag: '1.27', digest: 'sha256:' + 'b'.repeat(64) });
  });

  it('refuses an uppercase repository with the runtime\'s message, and other malformed references', () => {
    expect(() => normalizeImage('Nginx')).toThrow(new ImageReferenceError('invalid reference format: repository name (library/Nginx) must be lowercase'));
    for (const bad of ['', ' nginx', 'nginx:', 'nginx:bad tag', 'nginx@sha256:short', 'my_/app']) {
      expect(() => normalizeImage(bad), bad).toThrow(/^invalid reference format/);
    }
  });
});
