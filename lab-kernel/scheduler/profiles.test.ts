import { describe, expect, it } from 'vitest';
import { Client } from '../client/client';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { ApiServer } from '../apiserver/api-server';
import { LocalEtcd } from '../etcd/storage';
import { MvccStore } from '../store/mvcc-store';
import { Framework } from './framework';
import { defaultProfile, DEFAULT_PLUGINS, NOT_MODELLED, type ProfileOptions } from './profiles';
import { REFERENCE_CODE } from './reference-code.fixture';
import { Rng } from '../sim/rng';

function frameworkFor(options: Omit<ProfileOptions, 'client' | 'code'> = {}) {
  const sim = new Simulation({ seed: 1 });
  const net = new Network(sim);
  const client = new Client('kube-scheduler', net, new ApiServer(sim, net, new LocalEtcd(sim, new MvccStore(), 'kube-apiserver')));
  return new Framework(defaultProfile({ client, code: REFERENCE_CODE, ...options }), REFERENCE_CODE['select-host'], new Rng(1));
}

describe('the default profile (default_plugins.go)', () => {
  it('scores with kube-scheduler\'s default weights', () => {
    const weights = Object.fromEntries(frameworkFor().plugins.score.map((s) => [s.plugin.name, s.weight]));
    expect(weights).toEqual({ TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1 });
  });

  it('places each plugin at every extension point it implements, in the default order', () => {
    const fw = frameworkFor();
    expect(fw.plugins.queueSort.name).toBe('PrioritySort');
    expect(fw.plugins.filter.map((p) => p.name)).toEqual(['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
    expect(fw.plugins.postFilter.map((p) => p.name)).toEqual(['DefaultPreemption']);
    expect(fw.plugins.bind.map((p) => p.name)).toEqual(['DefaultBinder']);
  });

  it('lists every default plugin of kube-scheduler, and says which the lab does not model', () => {
    expect(DEFAULT_PLUGINS).toHaveLength(18);
    expect(NOT_MODELLED).toEqual(['SchedulingGates', 'NodeVolumeLimits', 'VolumeZone']);
  });

  it('a profile can disable plugins and take its own name', () => {
    const fw = frameworkFor({ schedulerName: 'batch-scheduler', disabled: ['ImageLocality', 'NodeResourcesBalancedAllocation'] });
    expect(fw.schedulerName).toBe('batch-scheduler');
    expect(fw.plugins.score.map((s) => s.plugin.name)).not.toContain('ImageLocality');
  });

  it('refuses a plugin name nobody registered', () => {
    expect(() => frameworkFor({ plugins: [{ name: 'PrioritySort' }, { name: 'NoSuchPlugin' }] })).toThrow('plugin "NoSuchPlugin" is not registered');
  });
});
