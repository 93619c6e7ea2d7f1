import { describe, expect, it } from 'vitest';
import { HostFs } from './host-fs';

describe('the node filesystem and its bind mounts', () => {
  it("shows a bound directory's files at the mount point, and no longer once it is unbound", () => {
    const fs = new HostFs();
    fs.write('/csi-data-dir/v1/a', 'x');
    fs.bind('/csi-data-dir/v1', '/pods/u/mount');
    expect(fs.read('/pods/u/mount/a')).toBe('x');
    fs.write('/pods/u/mount/b', 'y');
    expect(fs.read('/csi-data-dir/v1/b')).toBe('y');
    expect(fs.list('/pods/u/mount')).toEqual(['a', 'b']);
    fs.unbind('/pods/u/mount');
    expect(fs.read('/pods/u/mount/a')).toBeUndefined();
    expect(fs.read('/csi-data-dir/v1/a')).toBe('x');
  });

  it("removes a directory's files only, not a sibling whose name starts the same", () => {
    const fs = new HostFs();
    fs.write('/v/a/1', '');
    fs.write('/v/ab/2', '');
    fs.removeAll('/v/a');
    expect([fs.read('/v/a/1'), fs.read('/v/ab/2')]).toEqual([undefined, '']);
  });
});
