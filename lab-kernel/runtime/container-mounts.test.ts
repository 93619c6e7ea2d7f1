import { describe, expect, it } from 'vitest';
import { mountedPath } from './container-mounts';

describe('which host path a container path reaches', () => {
  const mounts = [
    { containerPath: '/data', hostPath: '/host/data' },
    { containerPath: '/data/inner', hostPath: '/host/inner', readonly: true },
  ];
  it('takes the longest mount that holds the path, and none for a path outside every mount', () => {
    expect(mountedPath(mounts, '/data/x')).toEqual({ hostPath: '/host/data/x', readonly: false });
    expect(mountedPath(mounts, '/data/inner/y')).toEqual({ hostPath: '/host/inner/y', readonly: true });
    expect(mountedPath(mounts, '/database/z')).toBeUndefined();
  });
});
