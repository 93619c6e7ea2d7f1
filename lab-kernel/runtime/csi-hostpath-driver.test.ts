import { describe, expect, it } from 'vitest';
import { Simulation } from '../sim/simulation';
import type { CsiCallback, NodeCapability } from './csi';
import { HostPathDriver } from './csi-hostpath-driver';
import { HostFs } from './host-fs';

/** Runs one driver call to its answer. */
function call<T>(sim: Simulation, f: (done: CsiCallback<T>) => void): { err?: Error; res?: T } {
  const out: { err?: Error; res?: T } = {};
  f((err, res) => Object.assign(out, { err, res }));
  sim.runFor(100);
  return out;
}

describe('the CSI hostpath driver', () => {
  it('stages and unstages volumes (STAGE_UNSTAGE_VOLUME) and publishes one by bind-mounting its directory', () => {
    const sim = new Simulation({ seed: 1 });
    const fs = new HostFs();
    const driver = new HostPathDriver(sim, 'node-1', fs);
    expect(call(sim, (d: CsiCallback<{ capabilities: NodeCapability[] }>) => driver.nodeGetCapabilities({}, d)).res!.capabilities).toContain('STAGE_UNSTAGE_VOLUME');
    const { volumeId } = call(sim, (d: CsiCallback<{ volume: { volumeId: string; capacityBytes: number } }>) => driver.createVolume({ name: 'pvc-1', capacityBytes: 1 }, d)).res!.volume;
    const capability = { mount: {}, accessMode: 'SINGLE_NODE_WRITER' as const };
    expect(call(sim, (d) => driver.nodeStageVolume({ volumeId, stagingTargetPath: '/staging', volumeCapability: capability }, d)).err).toBeUndefined();
    expect(call(sim, (d) => driver.nodePublishVolume({ volumeId, stagingTargetPath: '/staging', targetPath: '/target', volumeCapability: capability, readonly: false }, d)).err).toBeUndefined();
    fs.write('/target/f', 'data');
    expect(fs.read(`/csi-data-dir/${volumeId}/f`)).toBe('data');
    call(sim, (d) => driver.nodeUnpublishVolume({ volumeId, targetPath: '/target' }, d));
    expect(fs.read('/target/f')).toBeUndefined();
    expect(fs.read(`/csi-data-dir/${volumeId}/f`)).toBe('data');
  });

  it('answers NotFound for a volume it never created', () => {
    const sim = new Simulation({ seed: 1 });
    const driver = new HostPathDriver(sim, 'node-1', new HostFs());
    const { err } = call(sim, (d) => driver.nodePublishVolume({ volumeId: 'nosuch', targetPath: '/t', volumeCapability: { mount: {}, accessMode: 'SINGLE_NODE_WRITER' as const }, readonly: false }, d));
    expect(err?.message).toBe('rpc error: code = NotFound desc = volume id nosuch does not exist in the volumes list');
  });
});
