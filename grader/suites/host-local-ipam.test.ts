/**
 * Grader suite for exercise `host-local-ipam` (exercises/cni/host-local.ts).
 *
 * Part by part through allocate, on cases after the plugin's own tests
 * (plugins/ipam/host-local/backend/allocator/allocator_test.go: "allocates round-robin",
 * "wraps around", "skips the gateway", "doesn't allocate duplicates", "returns an error when no
 * IP is available"), then a node whose CNI plugin runs your decision for its pods.
 */
import { describe, expect, it } from 'vitest';
import type { KubeEvent, Node, Pod } from '../../lab-kernel/api/types';
import { createCluster } from '../../lab-kernel/cluster/cluster';
import type { HostLocalInput, IpamRange, Reservation } from '../../lab-kernel/runtime/host-local-contract';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const allocate = slotUnderTest('host-local-ipam');

/** 10.244.1.0/24 as host-local fills it in: .1-.254, gateway .1. */
const POD_CIDR: IpamRange = { subnet: '10.244.1.0/24', rangeStart: '10.244.1.1', rangeEnd: '10.244.1.254', gateway: '10.244.1.1' };
/** A small range, .1-.5 of 10.0.0.0/29, gateway .1. */
const SMALL: IpamRange = { subnet: '10.0.0.0/29', rangeStart: '10.0.0.1', rangeEnd: '10.0.0.6', gateway: '10.0.0.1' };
const held = (ip: string, containerId = `c-${ip}`, ifname = 'eth0'): Reservation => ({ ip, containerId, ifname });
const input = (more: Partial<HostLocalInput> = {}): HostLocalInput => ({ ranges: [POD_CIDR], reserved: [], containerId: 'new', ifname: 'eth0', ...more });
/** The addresses handed out one after the other from `ranges`, as the plugin's store would keep them. */
function sequence(count: number, ranges: IpamRange[], reserved: Reservation[] = [], lastReserved?: string): string[] {
  const out: string[] = [];
  let last = lastReserved;
  for (let i = 0; i < count; i++) {
    const { ip } = allocate({ ranges, reserved, lastReserved: last, containerId: `c${i}`, ifname: 'eth0' });
    out.push(ip);
    reserved = [...reserved, held(ip, `c${i}`)];
    last = ip;
  }
  return out;
}

describe('Part 1: a container asks twice (the duplicate check)', () => {
  it('does a second ADD for the same container and interface fail with host-local\'s message?', () => {
    expect(() => allocate(input({ reserved: [held('10.244.1.7', 'c1')], containerId: 'c1' }))).toThrow('10.244.1.7 has been allocated to c1, duplicate allocation is not allowed');
  });

  it('may the same container get an address for another interface (eth1)?', () => {
    expect(allocate(input({ reserved: [held('10.244.1.2', 'c1', 'eth0')], lastReserved: '10.244.1.2', containerId: 'c1', ifname: 'eth1' }))).toEqual({ ip: '10.244.1.3' });
  });

  it('does an address the container holds in another network not count as a duplicate?', () => {
    expect(allocate(input({ reserved: [held('192.168.0.5', 'c1')], containerId: 'c1' }))).toEqual({ ip: '10.244.1.2' });
  });
});

describe('Part 2: where the search starts and how it goes on (round-robin)', () => {
  it('is the first address of a fresh range .2, the gateway .1 being skipped?', () => {
    expect(allocate(input())).toEqual({ ip: '10.244.1.2' });
  });

  it('does the search start right after the last reserved address, not at it?', () => {
    expect(allocate(input({ reserved: [held('10.244.1.2')], lastReserved: '10.244.1.2' }))).toEqual({ ip: '10.244.1.3' });
  });

  it('is an address freed since not handed out again before the others (.3 freed, last .4 => .5)?', () => {
    expect(allocate(input({ reserved: [held('10.244.1.2'), held('10.244.1.4')], lastReserved: '10.244.1.4' }))).toEqual({ ip: '10.244.1.5' });
  });

  it('does it wrap around after the range\'s end to its start (last .254 => .2, .1 is the gateway)?', () => {
    expect(allocate(input({ lastReserved: '10.244.1.254' }))).toEqual({ ip: '10.244.1.2' });
    expect(allocate(input({ reserved: [held('10.244.1.2')], lastReserved: '10.244.1.254' }))).toEqual({ ip: '10.244.1.3' });
  });

  it('does a last reserved address outside the ranges (an old config\'s) make it start from the beginning?', () => {
    expect(allocate(input({ lastReserved: '10.9.9.9' }))).toEqual({ ip: '10.244.1.2' });
  });

  it('are the last reserved address\'s own neighbours reached before it (everything taken but .3 and the last, .5)?', () => {
    const reserved = ['10.0.0.2', '10.0.0.4', '10.0.0.5', '10.0.0.6'].map((ip) => held(ip));
    expect(allocate(input({ ranges: [SMALL], reserved: reserved.filter((r) => r.ip !== '10.0.0.5'), lastReserved: '10.0.0.5' }))).toEqual({ ip: '10.0.0.3' });
  });

  it('does it go through every range of a set in order, skipping each range\'s gateway?', () => {
    const second: IpamRange = { subnet: '10.0.1.0/30', rangeStart: '10.0.1.1', rangeEnd: '10.0.1.2', gateway: '10.0.1.1' };
    expect(sequence(6, [SMALL, second])).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.1.2']);
  });
});

describe('Part 3: the address, or the error when none is left', () => {
  it('hands out a whole small range in order, each address once?', () => {
    expect(sequence(5, [SMALL])).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6']);
  });

  it('when every address is taken, does it fail with the range set named as start-end?', () => {
    const reserved = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6'].map((ip) => held(ip));
    expect(() => allocate(input({ ranges: [SMALL], reserved, lastReserved: '10.0.0.6' }))).toThrow('no IP addresses available in range set: 10.0.0.1-10.0.0.6');
  });

  it('does the error of a full set of two ranges name both, joined by a comma?', () => {
    const second: IpamRange = { subnet: '10.0.1.0/30', rangeStart: '10.0.1.1', rangeEnd: '10.0.1.2', gateway: '10.0.1.1' };
    const reserved = ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.1.2'].map((ip) => held(ip));
    expect(() => allocate(input({ ranges: [SMALL, second], reserved }))).toThrow('no IP addresses available in range set: 10.0.0.1-10.0.0.6,10.0.1.1-10.0.1.2');
  });

  it('is a gateway inside the range (here .3) skipped too, and a custom start honoured?', () => {
    const custom: IpamRange = { subnet: '10.0.0.0/29', rangeStart: '10.0.0.3', rangeEnd: '10.0.0.5', gateway: '10.0.0.4' };
    expect(sequence(2, [custom])).toEqual(['10.0.0.3', '10.0.0.5']);
  });

  it('is an address someone else holds never handed out, wherever the search starts?', () => {
    const reserved = [held('10.0.0.3', 'other'), held('10.0.0.4', 'other')];
    expect(allocate(input({ ranges: [SMALL], reserved, lastReserved: '10.0.0.2' }))).toEqual({ ip: '10.0.0.5' });
  });
});

describe('Part 4: a node whose CNI plugin runs your decision', () => {
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name} }\nspec:\n  nodeName: node-1\n  containers: [{ name: app, image: busybox:1.36, command: [sleep, infinity] }]\n`;

  it('do three pods on node-1 get .2, .3 and .4 of its pod CIDR, and a fourth after one is deleted .5 (not the freed address)?', () => {
    const cluster = createCluster({ seed: SEED, workers: 1, use: { 'host-local-ipam': SOURCE } });
    const ipOf = (name: string) => cluster.kubectl.getObjects<Pod>('pods', name)[0]?.status?.podIP;
    const why = (name: string) => (cluster.kubectl.getObjects('events') as KubeEvent[]).filter((e) => e.involvedObject.name === name && e.type === 'Warning').map((e) => `${e.reason}: ${e.message}`).join('; ');
    for (const name of ['a', 'b', 'c']) {
      cluster.apply(pod(name));
      expect(cluster.runUntil(() => ipOf(name) !== undefined, 30_000), `pod ${name} got no IP: ${why(name)}`).toBe(true);
    }
    const cidr = cluster.kubectl.getObjects<Node>('nodes', 'node-1')[0].spec!.podCIDR!;
    const base = cidr.split('.').slice(0, 3).join('.');
    expect(['a', 'b', 'c'].map(ipOf)).toEqual([`${base}.2`, `${base}.3`, `${base}.4`]);
    cluster.kubectl.delete('pod', 'b', { gracePeriod: 0 });
    cluster.apply(pod('d'));
    expect(cluster.runUntil(() => ipOf('d') !== undefined, 30_000)).toBe(true);
    expect(ipOf('d')).toBe(`${base}.5`);
  });
});
