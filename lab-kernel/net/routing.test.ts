import { describe, expect, it } from 'vitest';
import { lookupRoute } from '../../solutions/net/route-lookup';
import { parseIp } from './ipv4';
import { newRoute, RoutingTable } from './routing';

function podTable(): RoutingTable {
  const t = new RoutingTable(lookupRoute);
  t.add({ dst: '10.244.1.0/24', dev: 'eth0', src: '10.244.1.2', kernel: true });
  t.add({ dst: 'default', via: '10.244.1.1', dev: 'eth0' });
  return t;
}

describe('a routing table', () => {
  it.each([
    ['10.244.1.9', '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2'],
    ['10.96.0.10', 'default via 10.244.1.1 dev eth0'],
    ['10.244.2.3', '10.244.2.0/24 via 192.168.1.12 dev eth1'],
  ])('routes %s by the longest matching prefix: %s', (ip, expected) => {
    const t = podTable();
    t.add({ dst: '192.168.1.0/24', dev: 'eth1', kernel: true, src: '192.168.1.11' });
    t.add({ dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth1' });
    expect(t.lookup(parseIp(ip))!.text).toBe(expected);
  });

  it('prefers the lower metric between equal prefixes', () => {
    const t = podTable();
    t.add({ dst: '10.0.0.0/8', via: '10.244.1.1', dev: 'eth0', metric: 200 });
    t.add({ dst: '10.0.0.0/8', via: '10.244.1.3', dev: 'eth0', metric: 100 });
    expect(t.lookup(parseIp('10.9.9.9'))!.text).toBe('10.0.0.0/8 via 10.244.1.3 dev eth0 metric 100');
  });

  it('has no route for an address no prefix holds', () => {
    const t = new RoutingTable(lookupRoute);
    t.add({ dst: '10.244.1.0/24', dev: 'eth0', kernel: true });
    expect(t.lookup(parseIp('8.8.8.8'))).toBeUndefined();
  });

  it('refuses a gateway that is not on a connected subnet of its device, unless onlink', () => {
    const t = podTable();
    expect(() => t.add({ dst: '10.9.0.0/16', via: '169.254.1.1', dev: 'eth0' })).toThrow('Error: Nexthop has invalid gateway.');
    expect(t.add({ dst: '10.9.0.0/16', via: '169.254.1.1', dev: 'eth0', onlink: true }).text).toBe('10.9.0.0/16 via 169.254.1.1 dev eth0 onlink');
  });

  it('refuses a duplicate route and the deletion of a missing one', () => {
    const t = podTable();
    expect(() => t.add({ dst: 'default', via: '10.244.1.1', dev: 'eth0' })).toThrow('RTNETLINK answers: File exists');
    expect(() => t.delete('10.5.0.0/16')).toThrow('RTNETLINK answers: No such process');
  });

  it('takes a route back once it is deleted, or its device went away, and not before', () => {
    const t = podTable();
    t.delete('default');
    expect(t.add({ dst: 'default', via: '10.244.1.1', dev: 'eth0' }).text).toBe('default via 10.244.1.1 dev eth0');
    t.add({ dst: '10.0.0.0/8', via: '10.244.1.1', dev: 'eth0', metric: 100 });
    expect(() => t.add({ dst: '10.0.0.0/8', via: '10.244.1.1', dev: 'eth0', metric: 100 })).toThrow('RTNETLINK answers: File exists');
    t.removeDevice('eth0');
    t.add({ dst: '10.244.1.0/24', dev: 'eth0', kernel: true });
    expect(t.add({ dst: '10.0.0.0/8', via: '10.244.1.1', dev: 'eth0', metric: 100 }).text).toBe('10.0.0.0/8 via 10.244.1.1 dev eth0 metric 100');
  });

  it('lists routes as ip route does, default first', () => {
    expect(podTable().show()).toEqual(['default via 10.244.1.1 dev eth0', '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2']);
  });

  it("takes a copy of one of its routes from the lookup as that route, and refuses one it does not hold", () => {
    const copying = new RoutingTable((routes, dst) => structuredClone(lookupRoute(routes, dst)));
    const route = copying.add({ dst: '10.244.1.0/24', dev: 'eth0', kernel: true });
    expect(copying.lookup(parseIp('10.244.1.9'))).toBe(route);
    const inventing = new RoutingTable(() => newRoute({ dst: '10.9.0.0/16', dev: 'eth0' }));
    inventing.add({ dst: '10.244.1.0/24', dev: 'eth0', kernel: true });
    expect(() => inventing.lookup(parseIp('10.9.1.1'))).toThrow(/^the route lookup for 10\.9\.1\.1 chose .*, which is not a route of the table$/);
  });

  it('drops the routes through a device that goes away', () => {
    const t = podTable();
    t.removeDevice('eth0');
    expect(t.show()).toEqual([]);
  });
});
