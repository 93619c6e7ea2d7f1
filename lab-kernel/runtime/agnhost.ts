import type { HttpAnswer, HttpRequest } from './resource-consumer';

/**
 * Kubernetes' e2e test image agnhost (test/images/agnhost, 2.52 as Kubernetes 1.32's e2e tests
 * pin it): one binary, a subcommand per role. The lab runs the two a networking lesson needs:
 *
 *   serve-hostname [--port=9376]   answers every request with the pod's hostname
 *   netexec [--http-port=8080]     a small HTTP API about the request and the pod:
 *     /hostname          => the pod's hostname
 *     /clientip          => the address the request came from, 'ip:port' (what NAT left of the client)
 *     /echo?msg=hi       => 'hi'
 *     /header?key=Host   => that request header's value ('' when absent)
 *     /healthz           => 200, empty
 *     anything else      => 404 '404 page not found' (Go's http.NotFound)
 *   pause                          does nothing until stopped
 *
 *   agnhostCommand(['netexec', '--http-port=8080'])   // => { subcommand: 'netexec', port: 8080 }
 *   serveAgnhost('netexec', { method: 'GET', path: '/clientip' }, { hostname: 'web-1', clientIp: '10.244.1.1', clientPort: 40012 })
 *   // => { code: 200, body: '10.244.1.1:40012' }
 *
 * Not modelled: netexec's UDP and SCTP servers, /dial, /shell, /upload, /exit, /redirect, and
 * its root page (the time); the other subcommands. An unknown subcommand exits 1 with cobra's
 * error line.
 */
export type AgnhostCommand = { subcommand: 'serve-hostname' | 'netexec'; port: number } | { subcommand: 'pause' } | { error: string };

export function agnhostCommand(args: readonly string[]): AgnhostCommand {
  const [sub, ...flags] = args;
  const flag = (name: string) => flags.map((f) => new RegExp(`^--${name}=(\\d+)$`).exec(f)).find((m) => m !== null)?.[1];
  if (sub === 'serve-hostname') return { subcommand: sub, port: Number(flag('port') ?? 9376) };
  if (sub === 'netexec') return { subcommand: sub, port: Number(flag('http-port') ?? 8080) };
  if (sub === 'pause') return { subcommand: sub };
  return { error: `Error: unknown command "${sub ?? ''}" for "agnhost"` };
}

export interface AgnhostRequestContext {
  hostname: string;
  /** The request's source as it arrived. */
  clientIp: string;
  clientPort: number;
}

export function serveAgnhost(subcommand: 'serve-hostname' | 'netexec', request: HttpRequest, ctx: AgnhostRequestContext): HttpAnswer {
  if (subcommand === 'serve-hostname') return { code: 200, body: ctx.hostname };
  const [path, query = ''] = request.path.split('?');
  const params = new Map(query.split('&').filter((p) => p !== '').map((p) => p.split('=').map(decodeURIComponent) as [string, string]));
  switch (path) {
    case '/hostname':
      return { code: 200, body: ctx.hostname };
    case '/clientip':
      return { code: 200, body: `${ctx.clientIp}:${ctx.clientPort}` };
    case '/echo':
      return { code: 200, body: params.get('msg') ?? '' };
    case '/header':
      return { code: 200, body: headerValue(request, params.get('key') ?? '') };
    case '/healthz':
      return { code: 200, body: '' };
    default:
      return { code: 404, body: '404 page not found' };
  }
}

/** A header by name, case-insensitively (Go's Header.Get canonicalises the key). */
function headerValue(request: HttpRequest, key: string): string {
  const wanted = key.toLowerCase();
  return Object.entries(request.headers ?? {}).find(([k]) => k.toLowerCase() === wanted)?.[1] ?? '';
}
