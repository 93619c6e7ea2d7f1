import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { describe, expect, it } from 'vitest';
import { hostGwRoutes, lookupRoute, routeDecision } from '../../solutions/net/route-lookup';
import { Simulation } from '../sim/simulation';
import { parseIp } from './ipv4';
import { PacketNetwork } from './packet-network';
import { node, NODES, POD_TABLE, table } from './route-lookup.fixture';
import { hostGwRoutesOf, routeLookupOf, type RouteLookupFn } from './route-lookup-contract';
import type { ExchangeResult } from './sockets';

/** The reference decision (exercise route-lookup) on the cases the fidelity table names; the grader's suite has the rest. */
describe("the main table's route lookup", () => {
  const chosen = (routes = POD_TABLE, dst: string) => lookupRoute(routes, parseIp(dst))?.text;

  it('takes the longest prefix that holds the address, wherever it is in the table', () => {
    const routes = table(
      { dst: '10.0.0.0/8', via: '192.168.1.1', dev: 'eth0', onlink: true },
      { dst: '10.244.1.0/24', dev: 'cni0', kernel: true },
      { dst: '10.244.0.0/16', via: '192.168.1.2', dev: 'eth0', onlink: true },
    );
    expect([chosen(routes, '10.244.1.7'), chosen(routes, '10.244.9.7'), chosen(routes, '10.9.9.9')]).toEqual([
      '10.244.1.0/24 dev cni0 proto kernel scope link',
      '10.244.0.0/16 via 192.168.1.2 dev eth0 onlink',
      '10.0.0.0/8 via 192.168.1.1 dev eth0 onlink',
    ]);
  });

  it("routes an address on the pod's link by its connected route, and any other by the default route", () => {
    expect([chosen(POD_TABLE, '10.244.1.9'), chosen(POD_TABLE, '10.96.0.10')]).toEqual(['10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2', 'default via 10.244.1.1 dev eth0']);
  });

  it('prefers the lower metric between two routes to the same prefix, whichever was added first', () => {
    const a = { dst: '10.0.0.0/8', via: '10.244.1.1', dev: 'eth0', metric: 200 };
    const b = { dst: '10.0.0.0/8', via: '10.244.1.3', dev: 'eth0', metric: 100 };
    expect([chosen(table(a, b), '10.9.9.9'), chosen(table(b, a), '10.9.9.9')]).toEqual(['10.0.0.0/8 via 10.244.1.3 dev eth0 metric 100', '10.0.0.0/8 via 10.244.1.3 dev eth0 metric 100']);
  });

  it('prefers a /32 host route to the subnet that holds its address', () => {
    const routes = table({ dst: '10.244.1.5', dev: 'cali0' }, { dst: '10.244.1.0/24', dev: 'cni0', kernel: true });
    expect([chosen(routes, '10.244.1.5'), chosen(routes, '10.244.1.6')]).toEqual(['10.244.1.5 dev cali0 scope link', '10.244.1.0/24 dev cni0 proto kernel scope link']);
  });

  it('has no route for an address that no prefix holds', () => {
    expect(chosen(table({ dst: '10.244.1.0/24', dev: 'eth0', kernel: true }), '8.8.8.8')).toBeUndefined();
  });

  it('answers through the one function the cluster calls, as routeLookupOf asks it', () => {
    expect(routeLookupOf(routeDecision)(POD_TABLE, parseIp('10.96.0.10'))).toBe(POD_TABLE[1]);
  });
});

describe("flannel's host-gw routes for a node", () => {
  it("routes every other node's pod CIDR via its InternalIP out of eth0, and not its own", () => {
    expect(hostGwRoutes('node-1', NODES)).toEqual([
      { dst: '10.244.0.0/24', via: '192.168.1.10', dev: 'eth0' },
      { dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth0' },
    ]);
  });

  it('skips a node without a pod CIDR or an InternalIP yet', () => {
    expect(hostGwRoutes('node-1', [node('node-1', '10.244.1.0/24', '192.168.1.11'), node('node-2', undefined, '192.168.1.12'), node('node-3', '10.244.3.0/24')])).toEqual([]);
  });

  it('answers through the one function the cluster calls, as hostGwRoutesOf asks it', () => {
    expect(hostGwRoutesOf(routeDecision)('control-plane', NODES).map((r) => r.dst)).toEqual(['10.244.1.0/24', '10.244.2.0/24']);
  });
});

describe('the packet network around the lookup', () => {
  /** A namespace with only 10.244.1.2/24 on eth0 (a veth to nowhere), on a network routed by `lookup`. */
  function lonely(lookup: RouteLookupFn) {
    const sim = new Simulation({ seed: 1 });
    const net = new PacketNetwork(sim, lookup, { netfilterEval: evaluateTable });
    const ns = net.addNamespace('pod');
    net.addVeth(ns, 'eth0', net.addNamespace('other'), 'eth0');
    ns.addAddress('eth0', '10.244.1.2/24');
    ns.setUp('eth0');
    let result: ExchangeResult | undefined;
    net.request(ns, { proto: 'udp', dst: '8.8.8.8', port: 53, length: 40 }, (r) => (result = r));
    sim.runUntil(() => result !== undefined, 5_000);
    return result!;
  }

  it('fails a send to an address without a route at once with ENETUNREACH', () => {
    const r = lonely(lookupRoute);
    expect(r.outcome === 'error' && r.error).toBe('ENETUNREACH');
    expect(r.trace.lines().map((l) => l.replace(/^\S+ +\S+ +/, ''))).toEqual(['route 8.8.8.8: no route', 'drop: no route to host (ENETUNREACH)']);
  });

  it('counts a lookup that throws as no route, and says why in the trace', () => {
    const r = lonely(() => {
      throw new Error('not implemented yet: route-lookup');
    });
    expect(r.outcome === 'error' && r.error).toBe('ENETUNREACH');
    expect(r.trace.lines().map((l) => l.replace(/^\S+ +\S+ +/, ''))).toEqual(['drop: route lookup failed: not implemented yet: route-lookup', 'drop: no route to host (ENETUNREACH)']);
  });
});
