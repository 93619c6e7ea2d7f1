import { deepFreeze } from '../sim/deep-freeze';
import { cidrContains, formatCidr, formatIp, parseCidr, parseIp, type Ip } from './ipv4';
import type { Route, RouteLookupFn, RouteSpec } from './route-lookup-contract';

export type { Route, RouteSpec } from './route-lookup-contract';

/**
 * A namespace's main routing table. Connected routes (`proto kernel scope link`) come from
 * addresses on up interfaces; the rest are added like `ip route add`. Which route carries a
 * packet (the longest prefix, then the lowest metric) is the decision of exercise route-lookup
 * (route-lookup-contract.ts), handed in by whoever builds the network:
 *
 *   const table = new RoutingTable(lookup);
 *   table.add({ dst: '10.244.1.0/24', dev: 'eth0', src: '10.244.1.2', kernel: true })
 *   table.add({ dst: 'default', via: '10.244.1.1', dev: 'eth0' })
 *   table.lookup(parseIp('10.96.0.10'))   // => the default route
 *   table.show()  // => ['default via 10.244.1.1 dev eth0',
 *                 //     '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2']
 *
 * A gateway must be reachable on a connected route of its device unless the route says
 * `onlink` (as Calico's 169.254.1.1 does): `ip route add` refuses it otherwise.
 * Local addresses are not in this table: the namespace checks them first (its local table).
 * Routes are frozen: the lookup reads them as they are, without a copy.
 */
export class RoutingTable {
  private routes: Route[] = [];
  /** The same routes by prefix and metric, so that `ip route add` finds a clash without a scan (a host-gw node holds a route per node). */
  private readonly byPrefix = new Map<string, Route>();

  /** `lookup` chooses the route for a destination (exercise route-lookup), from the composition root. */
  constructor(private readonly lookupFn: RouteLookupFn) {}

  add(spec: RouteSpec): Route {
    const route = newRoute(spec);
    const { cidr, via, metric } = route;
    const key = prefixKey(cidr.ip, cidr.len, metric);
    if (this.byPrefix.has(key)) throw new Error('RTNETLINK answers: File exists');
    if (via !== undefined && !spec.onlink && !this.routes.some((r) => r.via === undefined && r.dev === spec.dev && cidrContains(r.cidr, via))) {
      throw new Error('Error: Nexthop has invalid gateway.');
    }
    this.routes.push(route);
    this.byPrefix.set(key, route);
    return route;
  }

  /** Deletes the route to dst (and metric, when given); refuses one that is not there. */
  delete(dst: string, metric?: number): void {
    const cidr = parseCidr(dst);
    const i = this.routes.findIndex((r) => r.cidr.ip === cidr.ip && r.cidr.len === cidr.len && (metric === undefined || r.metric === metric));
    if (i < 0) throw new Error('RTNETLINK answers: No such process');
    const [gone] = this.routes.splice(i, 1);
    this.byPrefix.delete(prefixKey(gone.cidr.ip, gone.cidr.len, gone.metric));
  }

  /** Drops every route through a device (it went down or was deleted), as the kernel does. */
  removeDevice(dev: string): void {
    this.routes = this.routes.filter((r) => r.dev !== dev);
    for (const [key, r] of this.byPrefix) if (r.dev === dev) this.byPrefix.delete(key);
  }

  /**
   * The route for ip, as the lookup chooses it among this table's routes; undefined when none
   * holds it. A copy of one of them (what a learner's code returns) stands for that route (a
   * route is known by its prefix and metric); anything else is an error that says so.
   */
  lookup(ip: Ip): Route | undefined {
    const chosen = this.lookupFn(this.routes, ip);
    if (chosen === undefined || this.routes.includes(chosen)) return chosen;
    const c = chosen as Partial<Route> | null;
    const same = this.routes.find((r) => r.cidr.ip === c?.cidr?.ip && r.cidr.len === c.cidr.len && r.metric === c.metric);
    if (same === undefined) throw new Error(`the route lookup for ${formatIp(ip)} chose ${JSON.stringify(chosen)}, which is not a route of the table`);
    return same;
  }

  all(): readonly Route[] {
    return this.routes;
  }

  /** `ip route` output: by destination address, then prefix length. */
  show(): string[] {
    return [...this.routes].sort((a, b) => a.cidr.ip - b.cidr.ip || a.cidr.len - b.cidr.len || a.metric - b.metric).map((r) => r.text);
  }
}

/** What makes two routes the same route to the kernel: prefixKey(parseIp('10.244.1.0'), 24, 0) => '183763200/24/0'. */
function prefixKey(ip: Ip, len: number, metric: number): string {
  return `${ip}/${len}/${metric}`;
}

/**
 * A route as `ip route add` makes it from a spec (frozen, its text made), before any check
 * against a table: newRoute({ dst: 'default', via: '10.244.1.1', dev: 'eth0' }).text
 * // => 'default via 10.244.1.1 dev eth0'
 */
export function newRoute(spec: RouteSpec): Route {
  const via = spec.via === undefined ? undefined : parseIp(spec.via);
  const src = spec.src === undefined ? undefined : parseIp(spec.src);
  const route = { cidr: parseCidr(spec.dst), via, dev: spec.dev, src, metric: spec.metric ?? 0, onlink: spec.onlink ?? false, kernel: spec.kernel ?? false, text: '' };
  route.text = formatRoute(route);
  return deepFreeze(route);
}

/** One route as `ip route` prints it: 'default via 10.244.1.1 dev eth0'. */
export function formatRoute(r: Route): string {
  const parts = [r.cidr.len === 0 ? 'default' : r.cidr.len === 32 ? formatIp(r.cidr.ip) : formatCidr(r.cidr)];
  if (r.via !== undefined) parts.push(`via ${formatIp(r.via)}`);
  parts.push(`dev ${r.dev}`);
  if (r.kernel) parts.push('proto kernel scope link');
  else if (r.via === undefined) parts.push('scope link');
  if (r.src !== undefined) parts.push(`src ${formatIp(r.src)}`);
  if (r.metric !== 0) parts.push(`metric ${r.metric}`);
  if (r.onlink) parts.push('onlink');
  return parts.join(' ');
}
