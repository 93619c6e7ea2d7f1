import { describe, expect, it } from 'vitest';
import { FileTable } from './file-table';
import { HostFs } from './host-fs';

describe('FileTable', () => {
  it('counts a written text by its UTF-8 bytes and a dd file by its size, under a directory or in all', () => {
    const t = new FileTable();
    t.set('/tmp/healthy', '');
    t.set('/tmp/note', 'héllo');
    t.set('/data/fill', '', 1024 ** 3);
    expect(t.usedBytes('/tmp')).toBe(6);
    expect(t.usedBytes('/data/')).toBe(1024 ** 3);
    expect(t.usedBytes()).toBe(1024 ** 3 + 6);
    t.delete('/data/fill');
    expect(t.usedBytes()).toBe(6);
  });

  it("lets HostFs answer du through a bind mount: what a CSI volume's directory holds counts at the pod's mount path", () => {
    const fs = new HostFs();
    fs.write('/csi-data-dir/v1/a', '', 5000);
    fs.bind('/csi-data-dir/v1', '/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/pv1/mount');
    expect(fs.usedBytes('/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/pv1/mount')).toBe(5000);
    expect(fs.usedBytes()).toBe(5000);
  });
});
