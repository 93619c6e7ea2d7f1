import type { HttpAnswer } from '../runtime/resource-consumer';

/**
 * The pages nginx writes itself for an error status (src/http/ngx_http_special_response.c:
 * ngx_http_error_<code>_page and ngx_http_error_tail), as ingress-nginx serves them: its
 * default server's `return 404` for a request no rule takes, the Lua balancer's 503 for an
 * upstream without endpoints (balancer.lua rewrite()), 502/504 when no endpoint answers.
 * ingress-nginx turns server_tokens off (ShowServerTokens: false), so the tail names nginx
 * without its version.
 *
 *   nginxErrorPage(404).body
 *   // => '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
 */
const REASON: Record<number, string> = {
  301: 'Moved Permanently',
  404: 'Not Found',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

export type NginxErrorCode = 301 | 404 | 502 | 503 | 504;

export function nginxErrorPage(code: NginxErrorCode): HttpAnswer {
  const status = `${code} ${REASON[code]}`;
  const body = `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return { code, body };
}
