import type { Container } from '../api/types';

/**
 * The port a probe or a lifecycle hook names: a number, or the name of one of the container's
 * ports (its containerPort).
 *
 *   portNumber(8080, web)      // => 8080
 *   portNumber('http', web)    // => 80 (web has ports: [{ name: http, containerPort: 80 }])
 *   portNumber('metrics', web) // => undefined: no such port
 */
export function portNumber(port: number | string, container: Readonly<Container>): number | undefined {
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port)?.containerPort;
  return named ?? (/^\d+$/.test(port) ? Number(port) : undefined);
}
