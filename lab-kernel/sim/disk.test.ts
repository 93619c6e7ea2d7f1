import { describe, expect, it } from 'vitest';
import { SimDisk } from './disk';
import { Simulation } from './simulation';

const disk = (seed = 1, tearRate = 0) => new SimDisk(new Simulation({ seed }), 'etcd-1', { tearRate });

describe('SimDisk', () => {
  it('loses unsynced writes on a crash and keeps synced ones', () => {
    const d = disk();
    d.write('raft-state', '{"term":2}');
    d.sync();
    d.write('raft-state', '{"term":3}');
    d.write('snapshot', 'xyz');
    expect(d.crash()).toEqual({ lostWrites: 2 });
    expect(d.read('raft-state')).toBe('{"term":2}');
    expect(d.read('snapshot')).toBeUndefined();
  });

  it('lets the running process read its own unsynced writes, the latest one winning', () => {
    const d = disk();
    d.write('log', 'a');
    d.write('log', 'ab');
    expect(d.read('log')).toBe('ab');
    expect(d.read('missing')).toBeUndefined();
  });

  it('makes every write so far durable on sync, whole files replaced', () => {
    const d = disk();
    d.write('log', 'first');
    d.write('log', 'second');
    d.write('meta', 'm');
    d.sync();
    expect(d.crash()).toEqual({ lostWrites: 0 });
    expect([d.read('log'), d.read('meta')]).toEqual(['second', 'm']);
  });

  it('tears the last unsynced write into a strictly shorter prefix, the same cut for the same seed', () => {
    const torn = (seed: number) => {
      const d = disk(seed, 1);
      d.write('raft-state', 'old');
      d.sync();
      d.write('snapshot', 'lost entirely');
      d.write('raft-state', '{"term":3,"votedFor":"etcd-2"}');
      expect(d.crash()).toEqual({ lostWrites: 2, torn: 'raft-state' });
      expect(d.read('snapshot')).toBeUndefined();
      return d.read('raft-state')!;
    };
    expect('{"term":3,"votedFor":"etcd-2"}'.startsWith(torn(1))).toBe(true);
    expect(torn(1).length).toBeLessThan('{"term":3,"votedFor":"etcd-2"}'.length);
    expect(torn(1)).toBe(torn(1));
  });

  it('never tears without a tearRate', () => {
    const d = disk();
    d.write('raft-state', 'new');
    expect(d.crash().torn).toBeUndefined();
    expect(d.read('raft-state')).toBeUndefined();
  });

  it('fails writes and syncs while failWrites is on, unsynced writes staying volatile', () => {
    const d = disk();
    d.write('log', 'kept in memory only');
    d.failWrites(true);
    expect(() => d.write('log', 'x')).toThrow(/disk of etcd-1: write to log failed \(EIO\)/);
    expect(() => d.sync()).toThrow(/sync failed/);
    expect(d.read('log')).toBe('kept in memory only');
    d.crash();
    expect(d.read('log')).toBeUndefined();
    d.failWrites(false);
    d.write('log', 'y');
    d.sync();
    expect(d.read('log')).toBe('y');
  });

  it('rejects a tearRate outside [0, 1]', () => {
    expect(() => disk(1, 2)).toThrow(/tearRate/);
  });
});
