/**
 * Grader suite for exercise `route-lookup` (exercises/net/route-lookup.ts).
 *
 * Part 1 looks destinations up in routing tables on cases from Linux's documented behaviour
 * (ip-route(8): a PREFIX with its length, a bare address a /32 host route, `default` 0/0;
 * lower preference values are preferred; the kernel's FIB takes the longest match first);
 * Part 2 asks for a node's host-gw routes as flannel's host-gw backend makes them; Part 3
 * runs a cluster whose every packet your lookup routes, over your host-gw routes.
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../lab-kernel/api/types';
import { createCluster, type Cluster } from '../../lab-kernel/cluster/cluster';
import { parseIp } from '../../lab-kernel/net/ipv4';
import { node, NODES, POD_TABLE, table } from '../../lab-kernel/net/route-lookup.fixture';
import { hostGwRoutesOf, routeLookupOf, type Route, type RouteSpec } from '../../lab-kernel/net/route-lookup-contract';
import type { ExchangeResult } from '../../lab-kernel/net/sockets';
import { SEED, slotUnderTest, SOURCE } from '../harness';

const decide = slotUnderTest('route-lookup');
const lookup = routeLookupOf(decide);
const hostGw = hostGwRoutesOf(decide);

/** The route chosen for dst, as `ip route` prints it, or 'no route'. */
const chosen = (routes: Route[], dst: string): string => {
  const r = lookup(routes, parseIp(dst));
  return r === undefined ? 'no route' : r.text;
};
/** A node's host-gw routes as `ip route` would list them: 'dst via gw dev', by destination. */
const routesOf = (self: string, nodes = NODES): string[] => hostGw(self, nodes).map((r: RouteSpec) => `${r.dst} via ${r.via} dev ${r.dev}`).sort();

describe('Part 1: the route for a destination (longest prefix, then lowest metric)', () => {
  it("does an address on the pod's own subnet take the connected route, not the default (10.244.1.9)?", () => {
    expect(chosen(POD_TABLE, '10.244.1.9')).toBe('10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2');
  });

  it('does an address off every subnet take the default route, which holds every address (10.96.0.10, 8.8.8.8)?', () => {
    expect([chosen(POD_TABLE, '10.96.0.10'), chosen(POD_TABLE, '8.8.8.8')]).toEqual(['default via 10.244.1.1 dev eth0', 'default via 10.244.1.1 dev eth0']);
  });

  it('does the longest prefix win wherever it is listed (a /8, a /24 and a /16, in either order)?', () => {
    const specs = [
      { dst: '10.0.0.0/8', via: '192.168.1.1', dev: 'eth0', onlink: true },
      { dst: '10.244.1.0/24', dev: 'cni0', kernel: true },
      { dst: '10.244.0.0/16', via: '192.168.1.2', dev: 'eth0', onlink: true },
    ];
    for (const routes of [table(...specs), table(...[...specs].reverse())]) {
      expect([chosen(routes, '10.244.1.7'), chosen(routes, '10.244.9.7'), chosen(routes, '10.9.9.9')]).toEqual([
        '10.244.1.0/24 dev cni0 proto kernel scope link',
        '10.244.0.0/16 via 192.168.1.2 dev eth0 onlink',
        '10.0.0.0/8 via 192.168.1.1 dev eth0 onlink',
      ]);
    }
  });

  it('does a /32 host route beat the /24 that holds its address, and only for that address?', () => {
    const routes = table({ dst: '10.244.1.0/24', dev: 'cni0', kernel: true }, { dst: '10.244.1.5', dev: 'cali0' });
    expect([chosen(routes, '10.244.1.5'), chosen(routes, '10.244.1.6'), chosen(routes, '10.244.1.4')]).toEqual([
      '10.244.1.5 dev cali0 scope link',
      '10.244.1.0/24 dev cni0 proto kernel scope link',
      '10.244.1.0/24 dev cni0 proto kernel scope link',
    ]);
  });

  it('does 10.244.1.0/24 hold 10.244.1.200 and 10.244.1.255 (the mask covers 24 bits, no more)?', () => {
    expect([chosen(POD_TABLE, '10.244.1.200'), chosen(POD_TABLE, '10.244.1.255')]).toEqual([
      '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2',
      '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2',
    ]);
  });

  it('does 10.244.1.0/24 not hold 10.244.12.7 or 10.244.10.5 (addresses compared as numbers, not as text)?', () => {
    expect([chosen(POD_TABLE, '10.244.12.7'), chosen(POD_TABLE, '10.244.10.5')]).toEqual(['default via 10.244.1.1 dev eth0', 'default via 10.244.1.1 dev eth0']);
  });

  it('between two routes to the same prefix, does the lower metric win, whichever was added first?', () => {
    const high = { dst: '10.0.0.0/8', via: '10.244.1.1', dev: 'eth0', metric: 200 };
    const low = { dst: '10.0.0.0/8', via: '10.244.1.3', dev: 'eth0', metric: 100 };
    expect([chosen([...POD_TABLE, ...table(high, low)], '10.9.9.9'), chosen([...POD_TABLE, ...table(low, high)], '10.9.9.9')]).toEqual([
      '10.0.0.0/8 via 10.244.1.3 dev eth0 metric 100',
      '10.0.0.0/8 via 10.244.1.3 dev eth0 metric 100',
    ]);
  });

  it('is a default route of metric 0 preferred to one of metric 100 (0 is the lowest, not "none")?', () => {
    const routes = table({ dst: '192.168.1.0/24', dev: 'eth0', kernel: true }, { dst: 'default', via: '192.168.1.254', dev: 'eth0', metric: 100 }, { dst: 'default', via: '192.168.1.1', dev: 'eth0' });
    expect(chosen(routes, '1.1.1.1')).toBe('default via 192.168.1.1 dev eth0');
  });

  it('does a longer prefix win even with a higher metric (the metric only decides between equal prefixes)?', () => {
    const routes = table({ dst: '10.244.0.0/16', via: '192.168.1.1', dev: 'eth0', onlink: true, metric: 0 }, { dst: '10.244.2.0/24', via: '192.168.1.12', dev: 'eth0', onlink: true, metric: 500 });
    expect(chosen(routes, '10.244.2.3')).toBe('10.244.2.0/24 via 192.168.1.12 dev eth0 metric 500 onlink');
  });

  it('with no route holding the address, is there no route (Network is unreachable), also in an empty table?', () => {
    const noDefault = table({ dst: '10.244.1.0/24', dev: 'eth0', kernel: true }, { dst: '10.96.0.0/12', via: '10.244.1.1', dev: 'eth0' });
    expect([chosen(noDefault, '8.8.8.8'), chosen(noDefault, '10.112.0.1'), chosen([], '10.244.1.9')]).toEqual(['no route', 'no route', 'no route']);
  });

  it("is the answer one of the table's routes, unchanged (its gateway, device and source)?", () => {
    expect(lookup(POD_TABLE, parseIp('10.96.0.10'))).toEqual(POD_TABLE[1]);
    expect(lookup(POD_TABLE, parseIp('10.244.1.3'))).toEqual(POD_TABLE[0]);
  });
});

describe("Part 2: a node's host-gw routes (every other node's pod CIDR via its InternalIP)", () => {
  it("does node-1 route control-plane's and node-2's pod CIDRs via their InternalIPs out of eth0?", () => {
    expect(routesOf('node-1')).toEqual(['10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0']);
  });

  it('is the asking node\'s own pod CIDR left out (it is on cni0), whichever node asks?', () => {
    expect(routesOf('control-plane')).toEqual(['10.244.1.0/24 via 192.168.1.11 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0']);
    expect(routesOf('node-2')).toEqual(['10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.1.0/24 via 192.168.1.11 dev eth0']);
  });

  it('is a node without a pod CIDR yet skipped, and routed once it has one?', () => {
    expect(routesOf('node-1', [...NODES, node('node-3', undefined, '192.168.1.13')])).toEqual(['10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0']);
    expect(routesOf('node-1', [...NODES, node('node-3', '10.244.3.0/24', '192.168.1.13')])).toEqual([
      '10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0', '10.244.3.0/24 via 192.168.1.13 dev eth0',
    ]);
  });

  it('is a node without an InternalIP yet skipped?', () => {
    expect(routesOf('node-1', [...NODES, node('node-3', '10.244.3.0/24')])).toEqual(['10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0']);
  });

  it('is the gateway the InternalIP even when the Node lists an ExternalIP first?', () => {
    expect(routesOf('node-1', [node('node-1', '10.244.1.0/24', '192.168.1.11'), node('node-9', '10.244.9.0/24', '192.168.1.19', { externalIP: '203.0.113.9' })])).toEqual(['10.244.9.0/24 via 192.168.1.19 dev eth0']);
  });

  it('with no other node in the cluster, are there no routes?', () => {
    expect(routesOf('node-1', [node('node-1', '10.244.1.0/24', '192.168.1.11')])).toEqual([]);
  });
});

describe('Part 3: a cluster whose every packet your lookup routes, over your host-gw routes', () => {
  const pod = (name: string, nodeName: string, image: string, command?: string[]) => `apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  nodeName: ${nodeName}
  containers: [{ name: main, image: ${image}${command === undefined ? '' : `, command: ${JSON.stringify(command)}`} }]
`;
  /** nginx web on node-2, busybox client on node-1, both Running, on your code. */
  function twoPods(): Cluster {
    const cluster = createCluster({ seed: SEED, use: { 'route-lookup': SOURCE } });
    cluster.apply(pod('web', 'node-2', 'nginx:1.27'));
    cluster.apply(pod('client', 'node-1', 'busybox:1.36', ['sleep', '3600']));
    const running = () => cluster.kubectl.getObjects<Pod>('pods').filter((p) => p.status?.phase === 'Running').length === 2;
    expect(cluster.runUntil(running, 60_000), 'the pods web and client did not both start').toBe(true);
    return cluster;
  }
  const ipOf = (cluster: Cluster, name: string) => cluster.kubectl.getObjects<Pod>('pods', name)[0].status!.podIP!;
  /** The last error node-1's host-gw agent reported, or ''. */
  const agentError = (cluster: Cluster) => cluster.trace.all().filter((e) => e.kind === 'error' && e.actor === 'flanneld/node-1').map((e) => e.summary).pop() ?? '';
  /** An HTTP GET from the client pod to web over the packet network: 'response', or the errno and why the packets were dropped. */
  function get(cluster: Cluster): { outcome: string; why: string; lines: string[] } {
    const client = parseIp(ipOf(cluster, 'client'));
    const from = [...cluster.network.net.namespaces.values()].find((ns) => !ns.root && ns.isLocal(client))!;
    let result: ExchangeResult | undefined;
    cluster.network.net.request(from, { proto: 'tcp', dst: ipOf(cluster, 'web'), port: 80, payload: { method: 'GET', path: '/' } }, (r) => (result = r));
    cluster.runUntil(() => result !== undefined, 5_000);
    const lines = result!.trace.lines();
    const why = lines.filter((l) => l.includes('drop: ')).join('; ');
    return { outcome: result!.outcome === 'response' ? 'response' : result!.error, why: `the request from client to web: ${why}`, lines };
  }

  it("does a pod on node-1 reach a pod on node-2, through node-1's route 10.244.2.0/24 via 192.168.1.12 dev eth0?", () => {
    const cluster = twoPods();
    const viaNodes = cluster.network.net.namespace('node-1').routes.show().filter((r) => r.startsWith('10.244.') && r.includes(' via '));
    expect(viaNodes, `node-1's host-gw routes; its agent's last error: ${agentError(cluster)}`).toEqual(['10.244.0.0/24 via 192.168.1.10 dev eth0', '10.244.2.0/24 via 192.168.1.12 dev eth0']);
    const r = get(cluster);
    expect(r.outcome, r.why).toBe('response');
    expect(r.lines.filter((l) => / node-1 +route 10\.244\.2\./.test(l))[0]).toMatch(/: 10\.244\.2\.0\/24 via 192\.168\.1\.12 dev eth0$/);
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', `http://${ipOf(cluster, 'web')}/`])).toBe('<title>Welcome to nginx!</title>\n');
  });

  it('once the client pod\'s routes out of its own subnet are deleted (the default and the pod network\'s), does its wget that worked fail with "Network is unreachable"?', () => {
    const cluster = twoPods();
    const r = get(cluster);
    expect(r.outcome, r.why).toBe('response');
    const client = parseIp(ipOf(cluster, 'client'));
    const pod = [...cluster.network.net.namespaces.values()].find((ns) => !ns.root && ns.isLocal(client))!;
    for (const dst of ['default', '10.244.0.0/16']) pod.routes.delete(dst);
    const web = ipOf(cluster, 'web');
    expect(cluster.kubectl.exec('client', ['wget', '-qO-', `http://${web}/`])).toBe(`wget: can't connect to remote host (${web}): Network is unreachable\ncommand terminated with exit code 1`);
  });
});
