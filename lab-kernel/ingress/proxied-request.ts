import type { HttpRequest } from '../runtime/resource-consumer';

/**
 * The request ingress-nginx sends upstream (nginx.tmpl v1.11.3, the location's
 * proxy_set_header lines, with the ConfigMap's defaults: use-forwarded-headers and
 * compute-full-forwarded-for off): the client's Host passed through ($best_http_host), and
 *
 *   X-Real-IP, X-Forwarded-For   the client's address ($remote_addr): a client's own
 *                                X-Forwarded-For is replaced, not appended to (appending needs
 *                                both options on), and passed on as X-Original-Forwarded-For
 *   X-Forwarded-Host             the Host header
 *   X-Forwarded-Port             the port the request came in on
 *   X-Forwarded-Proto, X-Forwarded-Scheme, X-Scheme   http
 *
 *   proxiedRequest({ method: 'GET', path: '/', headers: { Host: 'shop.example', 'X-Forwarded-For': '1.2.3.4' } }, '192.168.0.10', 80).headers
 *   // => { Host: 'shop.example', 'X-Forwarded-For': '192.168.0.10', 'X-Original-Forwarded-For': '1.2.3.4',
 *   //      'X-Real-IP': '192.168.0.10', 'X-Forwarded-Host': 'shop.example', 'X-Forwarded-Port': '80', ... }
 *
 * Left out: X-Request-ID (a random id nginx makes when the client sent none), Upgrade/Connection
 * and the emptied Proxy header.
 */
export function proxiedRequest(request: Readonly<HttpRequest>, clientIp: string, serverPort: number): HttpRequest {
  const { 'X-Forwarded-For': clientForwardedFor, ...headers } = request.headers ?? {};
  const host = headers.Host ?? '';
  return {
    method: request.method,
    path: request.path,
    headers: Object.assign({}, headers, {
      'X-Real-IP': clientIp,
      'X-Forwarded-For': clientIp,
      ...(host === '' ? {} : { 'X-Forwarded-Host': host }),
      'X-Forwarded-Port': String(serverPort),
      'X-Forwarded-Proto': 'http',
      'X-Forwarded-Scheme': 'http',
      'X-Scheme': 'http',
      ...(clientForwardedFor === undefined || clientForwardedFor === '' ? {} : { 'X-Original-Forwarded-For': clientForwardedFor }),
    }),
  };
}
