import { cidrContains, formatCidr, formatIp, parseCidr, parseIp, type Cidr, type Ip } from './ipv4';

/**
 * A namespace's main routing table, looked up by longest-prefix match (lowest metric among
 * equally long prefixes). Connected routes (`proto kernel scope link`) come from addresses on
 * up interfaces; the rest are added like `ip route add`:
 *
 *   table.add({ dst: '10.244.1.0/24', dev: 'eth0', src: '10.244.1.2', kernel: true })
 *   table.add({ dst: 'default', via: '10.244.1.1', dev: 'eth0' })
 *   table.lookup(parseIp('10.96.0.10'))   // => the default route
 *   table.show()  // => ['default via 10.244.1.1 dev eth0',
 *                 //     '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2']
 *
 * A gateway must be reachable on a connected route of its device unless the route says
 * `onlink` (as Calico's 169.254.1.1 does): `ip route add` refuses it otherwise.
 * Local addresses are not in this table: the namespace checks them first (its local table).
 */
export interface RouteSpec {
  /** 'default', '10.244.2.0/24' or an address (a /32). */
  dst: string;
  via?: string;
  dev: string;
  src?: string;
  metric?: number;
  onlink?: boolean;
  /** A connected route the kernel made for an address (proto kernel scope link). */
  kernel?: boolean;
}

export interface Route {
  readonly cidr: Cidr;
  readonly via: Ip | undefined;
  readonly dev: string;
  readonly src: Ip | undefined;
  readonly metric: number;
  readonly onlink: boolean;
  readonly kernel: boolean;
  /** As `ip route` prints it. */
  readonly text: string;
}

export class RoutingTable {
  private routes: Route[] = [];

  add(spec: RouteSpec): Route {
    const cidr = parseCidr(spec.dst);
    const via = spec.via === undefined ? undefined : parseIp(spec.via);
    const metric = spec.metric ?? 0;
    if (this.routes.some((r) => r.cidr.ip === cidr.ip && r.cidr.len === cidr.len && r.metric === metric)) {
      throw new Error('RTNETLINK answers: File exists');
    }
    if (via !== undefined && !spec.onlink && !this.routes.some((r) => r.via === undefined && r.dev === spec.dev && cidrContains(r.cidr, via))) {
      throw new Error('Error: Nexthop has invalid gateway.');
    }
    const src = spec.src === undefined ? undefined : parseIp(spec.src);
    const route: Route = { cidr, via, dev: spec.dev, src, metric, onlink: spec.onlink ?? false, kernel: spec.kernel ?? false, text: '' };
    (route as { text: string }).text = formatRoute(route);
    this.routes.push(route);
    return route;
  }

  /** Deletes the route to dst (and metric, when given); refuses one that is not there. */
  delete(dst: string, metric?: number): void {
    const cidr = parseCidr(dst);
    const i = this.routes.findIndex((r) => r.cidr.ip === cidr.ip && r.cidr.len === cidr.len && (metric === undefined || r.metric === metric));
    if (i < 0) throw new Error('RTNETLINK answers: No such process');
    this.routes.splice(i, 1);
  }

  /** Drops every route through a device (it went down or was deleted), as the kernel does. */
  removeDevice(dev: string): void {
    this.routes = this.routes.filter((r) => r.dev !== dev);
  }

  /** The route for ip: the longest prefix, then the lowest metric; undefined when none holds it. */
  lookup(ip: Ip): Route | undefined {
    let best: Route | undefined;
    for (const r of this.routes) {
      if (!cidrContains(r.cidr, ip)) continue;
      if (best === undefined || r.cidr.len > best.cidr.len || (r.cidr.len === best.cidr.len && r.metric < best.metric)) best = r;
    }
    return best;
  }

  all(): readonly Route[] {
    return this.routes;
  }

  /** `ip route` output: by destination address, then prefix length. */
  show(): string[] {
    return [...this.routes].sort((a, b) => a.cidr.ip - b.cidr.ip || a.cidr.len - b.cidr.len || a.metric - b.metric).map((r) => r.text);
  }
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
