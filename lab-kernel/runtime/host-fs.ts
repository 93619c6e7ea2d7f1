import { FileTable } from './file-table';

/**
 * A node's own filesystem, as far as volumes need one: files by absolute path, and bind mounts
 * (a directory shown at a second path, as `mount --bind` does). The kubelet writes volume files
 * into it (configMap, secret, emptyDir), CSI drivers bind their volumes' directories into the
 * pod's volume folder, and the runtime's containers reach it through their CRI mounts
 * (container-mounts.ts), so what one container writes to a shared volume another one reads.
 *
 *   fs.write('/csi-data-dir/v1/a', 'x'); fs.bind('/csi-data-dir/v1', '/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/pv1/mount')
 *   fs.read('/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/pv1/mount/a')  // => 'x'
 *   fs.unbind('/var/lib/kubelet/pods/u/volumes/kubernetes.io~csi/pv1/mount'); // the same read => undefined
 *
 * Directories are not modelled: a path exists when a file is under it. Files live as long as the
 * node does, so a hostPath or a CSI volume's data outlives the pods that wrote it.
 */
export class HostFs {
  private readonly files = new FileTable();
  /** Mount point => the directory shown there. */
  private readonly mounts = new Map<string, string>();

  read(path: string): string | undefined {
    return this.files.get(this.resolve(path));
  }

  /** Writes a file ('' for an empty one; `bytes` when its size is not its text's), or removes it with undefined. */
  write(path: string, content: string | undefined, bytes?: number): void {
    const real = this.resolve(path);
    if (content === undefined) this.files.delete(real);
    else this.files.set(real, content, bytes);
  }

  /** What the files under a directory take on the node's disk (`du -sb`); without one, every file's. */
  usedBytes(dir?: string): number {
    return this.files.usedBytes(dir === undefined ? undefined : this.resolve(dir));
  }

  /** The files under a directory, by their path relative to it, sorted: list('/a') of /a/x and /a/b/y => ['b/y', 'x']. */
  list(dir: string): string[] {
    const real = `${this.resolve(dir)}/`;
    return [...this.files.paths()].filter((p) => p.startsWith(real)).map((p) => p.slice(real.length)).sort();
  }

  /** rm -rf: every file under the directory (not through a mount point under it: unmount first). */
  removeAll(dir: string): void {
    for (const path of this.list(dir)) this.files.delete(`${this.resolve(dir)}/${path}`);
  }

  bind(source: string, target: string): void {
    this.mounts.set(target, this.resolve(source));
  }

  unbind(target: string): void {
    this.mounts.delete(target);
  }

  isMountPoint(path: string): boolean {
    return this.mounts.has(path);
  }

  /** The path with its longest mount point replaced by the directory mounted there. */
  private resolve(path: string): string {
    let best: string | undefined;
    for (const target of this.mounts.keys()) {
      if ((path === target || path.startsWith(`${target}/`)) && (best === undefined || target.length > best.length)) best = target;
    }
    return best === undefined ? path : this.mounts.get(best)! + path.slice(best.length);
  }
}
