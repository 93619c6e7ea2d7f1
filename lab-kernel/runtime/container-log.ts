import { timestamp } from '../api/time';

/**
 * Container log files in the CRI logging format, as containerd writes them under the pod's
 * log directory and the kubelet reads them for `kubectl logs` (pkg/cri/io/logger.go):
 * one line per line the container printed — the time (RFC 3339 with nanoseconds, trailing
 * zeros dropped as Go's time.RFC3339Nano does), the stream, the tag F (a full line; P would
 * be part of a longer one) and the text.
 *
 *   criLogLine(1_500, 'stdout', 'hello')   // => '2025-01-01T00:00:01.5Z stdout F hello'
 *   criLogLine(2_000, 'stderr', 'oops')    // => '2025-01-01T00:00:02Z stderr F oops'
 *   logs.append('/var/log/pods/default_web_a1b2/web/0.log', line); logs.read(path) // => [line]
 *   logs.remove(path); logs.read(path)                                                // => undefined
 *
 * The files outlive their containers: the kubelet, not the runtime, deletes them, when its
 * container garbage collection removes the container (container-gc.ts).
 */
export function criLogLine(virtualMs: number, stream: 'stdout' | 'stderr', line: string): string {
  return `${rfc3339Nano(virtualMs)} ${stream} F ${line}`;
}

/** Virtual ms as Go's time.RFC3339Nano prints them: '2025-01-01T00:00:01.25Z'. */
export function rfc3339Nano(virtualMs: number): string {
  const whole = timestamp(virtualMs);
  const fraction = String(virtualMs % 1000).padStart(3, '0').replace(/0+$/, '');
  return fraction === '' ? whole : `${whole.slice(0, -1)}.${fraction}Z`;
}

export class LogFiles {
  private readonly files = new Map<string, string[]>();
  /** Each file's size in bytes: its lines, each with its newline. */
  private readonly sizes = new Map<string, number>();

  append(path: string, line: string): void {
    const lines = this.files.get(path);
    if (lines === undefined) this.files.set(path, [line]);
    else lines.push(line);
    this.sizes.set(path, (this.sizes.get(path) ?? 0) + Buffer.byteLength(line) + 1);
  }

  /** Deletes the file (nothing if there is none). */
  remove(path: string): void {
    this.files.delete(path);
    this.sizes.delete(path);
  }

  /** What the files under a directory take on disk, or every file without one: usedBytes('/var/log/pods/default_web_a1b2/web'). */
  usedBytes(dir?: string): number {
    let sum = 0;
    for (const [path, bytes] of this.sizes) if (dir === undefined || path.startsWith(`${dir}/`)) sum += bytes;
    return sum;
  }

  /** The file's lines, or undefined if no container ever wrote there. */
  read(path: string): string[] | undefined {
    const lines = this.files.get(path);
    return lines === undefined ? undefined : [...lines];
  }
}
