import { describe, expect, it } from 'vitest';
import { Rng } from '../sim/rng';
import type { ListAndWatchResponse, RegisterRequest } from './device-plugin-api';
import { GpuDevicePlugin } from './gpu-device-plugin';

describe("the simulated GPU device plugin (NVIDIA's)", () => {
  it('registers nvidia.com/gpu on nvidia-gpu.sock with API version v1beta1', () => {
    const seen: RegisterRequest[] = [];
    new GpuDevicePlugin(new Rng(1), 1).start((req) => {
      seen.push(req);
      return undefined;
    });
    expect(seen).toEqual([{ version: 'v1beta1', endpoint: 'nvidia-gpu.sock', resourceName: 'nvidia.com/gpu', options: { getPreferredAllocationAvailable: true } }]);
  });

  it('names each GPU by a UUID from its seeded stream, the same on every run', () => {
    const ids = new GpuDevicePlugin(new Rng(3), 2).devices.map((d) => d.ID);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(2);
    expect(new GpuDevicePlugin(new Rng(3), 2).devices.map((d) => d.ID)).toEqual(ids);
  });

  it('streams its devices at once and again when one turns Unhealthy', () => {
    const plugin = new GpuDevicePlugin(new Rng(1), 2);
    const sent: ListAndWatchResponse[] = [];
    const stop = plugin.listAndWatch((r) => sent.push(r));
    const [a, b] = plugin.devices.map((d) => d.ID);
    plugin.setHealth(a, 'Unhealthy');
    plugin.setHealth(a, 'Unhealthy'); // no change, nothing sent
    expect(sent.map((r) => r.devices.map((d) => d.health))).toEqual([['Healthy', 'Healthy'], ['Unhealthy', 'Healthy']]);
    stop();
    plugin.setHealth(b, 'Unhealthy');
    expect(sent).toHaveLength(2);
  });

  it('answers Allocate with NVIDIA_VISIBLE_DEVICES, the IDs joined by commas, and refuses a device it does not have', () => {
    const plugin = new GpuDevicePlugin(new Rng(1), 2);
    const [a, b] = plugin.devices.map((d) => d.ID);
    expect(plugin.allocate({ containerRequests: [{ devicesIDs: [a, b] }, { devicesIDs: [] }] })).toEqual({
      containerResponses: [{ envs: { NVIDIA_VISIBLE_DEVICES: `${a},${b}` } }, { envs: { NVIDIA_VISIBLE_DEVICES: '' } }],
    });
    expect((plugin.allocate({ containerRequests: [{ devicesIDs: ['GPU-0'] }] }) as Error).message).toBe("invalid allocation request for 'nvidia.com/gpu': unknown device: GPU-0");
  });
});
