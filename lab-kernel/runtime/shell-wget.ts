import type { DnsSearchFn } from '../dns/dns-search-contract';
import type { ResolvConf } from '../dns/resolv-conf';
import { isIp } from '../net/ipv4';
import type { Errno } from '../net/sockets';
import type { HttpOutcome } from './node-network';
import { resolveHost, type DnsAnswer, type DnsRequest } from './shell-dns';
import type { AppletRun } from './shell-ip';

/**
 * busybox's `wget -qO- URL`: the page on stdout; a failed connection or an HTTP error on
 * stderr, exit code 1, in busybox's words. A host that is a name is looked up first
 * (shell-dns.ts: the queries go to the pod's nameserver), then the GET goes to the address
 * found, with the name in its Host header. Like every network applet of the lab's shell it is
 * computed up front: each request's answer comes from `answer`, and when there is none yet it
 * stops there and says so in `pending` (shell-network.ts sends it and runs the command again).
 *
 *   wgetCommand(['-qO-', 'http://10.244.2.3/'], { answer: () => ({ outcome: { code: 200, body: 'hi' }, ms: 0.3 }) })
 *   // => { lines: [{ atMs: 0.3, stream: 'stdout', line: 'hi' }], status: 0, elapsedMs: 0.3 }
 *   wgetCommand(['-qO-', 'http://web/'], { answer, conf, search })
 *   // first run: pending, the A query for web.default.svc.cluster.local; then the GET to 10.96.1.5:80, Host: web
 *   wgetCommand(['-qO-', 'http://nope/'], ...)   // every query NXDOMAIN => stderr "wget: bad address 'nope'", exit 1
 */
export interface WgetRequest {
  /** The address it connects to (localhost is 127.0.0.1). */
  host: string;
  port: number;
  path: string;
  /** The Host header: the URL's host (and its port, when not 80). */
  hostHeader: string;
}

/** What a wget got, and how long it took (ms). */
export interface WgetAnswer {
  outcome: HttpOutcome;
  ms: number;
}

export interface WgetContext {
  /** The answer to the command's next request (a batch of DNS queries or the GET); undefined: not sent yet. */
  answer: (request: WgetRequest | DnsRequest) => WgetAnswer | DnsAnswer | undefined;
  /** The container's resolv.conf, for a name. */
  conf?: ResolvConf;
  /** The resolver's search (exercise dns-search); without it a name cannot be looked up. */
  search?: DnsSearchFn;
}

export function wgetCommand(args: readonly string[], context: WgetContext): AppletRun & { pending?: { atMs: number; request: WgetRequest | DnsRequest } } {
  const url = args.find((a) => !a.startsWith('-'));
  const m = url === undefined ? null : /^(?:http:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
  if (m === null) return fail('Usage: wget [-qO-] URL', 0);
  const [, name, port = '80', path = '/'] = m;
  let host = name === 'localhost' ? '127.0.0.1' : name;
  let elapsedMs = 0;
  const lines: AppletRun['lines'] = [];
  if (!isIp(host)) {
    if (context.search === undefined || context.conf === undefined) return fail(`wget: bad address '${name}'`, 0);
    const found = resolveHost(name, context.conf, (r) => context.answer(r) as DnsAnswer | undefined, context.search);
    if ('pending' in found) return { lines: [], status: 0, pending: found.pending };
    elapsedMs = found.elapsedMs;
    if ('failed' in found) {
      if (found.failed.startsWith('the resolver')) lines.push({ atMs: elapsedMs, stream: 'stderr', line: `wget: ${found.failed}` });
      return { lines: [...lines, { atMs: elapsedMs, stream: 'stderr', line: `wget: bad address '${name}'` }], status: 1, elapsedMs };
    }
    host = found.address;
  }
  const request: WgetRequest = { host, port: Number(port), path, hostHeader: port === '80' ? name : `${name}:${port}` };
  const answer = context.answer(request) as WgetAnswer | undefined;
  if (answer === undefined) return { lines: [], status: 0, pending: { atMs: elapsedMs, request } };
  const at = elapsedMs + answer.ms;
  const outcome = answer.outcome;
  if (typeof outcome === 'string') return fail(`wget: can't connect to remote host (${host}): ${WGET_ERRORS[outcome]}`, at);
  if (outcome.code !== 200) return fail(`wget: server returned error: HTTP/1.1 ${outcome.code} ${HTTP_REASONS[outcome.code] ?? ''}`.trimEnd(), at);
  const body = outcome.body === '' ? [] : outcome.body.replace(/\n$/, '').split('\n');
  return { lines: body.map((line) => ({ atMs: at, stream: 'stdout' as const, line })), status: 0, elapsedMs: at };
}

function fail(line: string, atMs: number): AppletRun {
  return { lines: [{ atMs, stream: 'stderr', line }], status: 1, elapsedMs: atMs };
}

/** strerror() of a failed connect, as busybox prints it after the address. */
const WGET_ERRORS: Record<Errno, string> = {
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  EPERM: 'Operation not permitted',
};

const HTTP_REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };
