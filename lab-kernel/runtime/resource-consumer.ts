/**
 * What Kubernetes' HPA e2e image, registry.k8s.io/e2e-test-images/resource-consumer, does with
 * an HTTP request (test/images/resource-consumer/resource_consumer_handler.go): the e2e test
 * drives it to make its pods busy, and the HorizontalPodAutoscaler reacts to that. A
 * `POST /ConsumeCPU?millicores=N&durationSec=S` starts a consume-cpu process that uses N
 * millicores for S seconds; requests add up, and the container's CFS quota, if it has a CPU
 * limit, caps the sum (container-usage.ts). Anything but a POST is a 400.
 *
 *   serveResourceConsumer({ method: 'POST', path: '/ConsumeCPU?millicores=250&durationSec=30' }, 5_000)
 *   // => { answer: { code: 200, body: 'ConsumeCPU\n250 millicores\n30 durationSec\n' },
 *   //      load: { millicores: 250, fromMs: 5_000, untilMs: 35_000 } }
 *   serveResourceConsumer({ method: 'GET', path: '/' }, 0)   // => { answer: { code: 400, body: 'Bad request. Not a POST request\n' } }
 *
 * Left out: ConsumeMem, BumpMetric, GetCurrentStatus and /metrics (404 here).
 */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path with its query: '/ConsumeCPU?millicores=250&durationSec=30'. */
  path: string;
  /** Its headers, by their canonical names ('Host', 'X-Forwarded-For'). */
  headers?: Readonly<Record<string, string>>;
}

export interface HttpAnswer {
  code: number;
  body: string;
}

/** A consume-cpu process: `millicores` from `fromMs` until `untilMs` (virtual ms). */
export interface CpuLoad {
  millicores: number;
  fromMs: number;
  untilMs: number;
}

/** common.BadRequest: what a bare connection or a GET gets. */
export const BAD_REQUEST = 'Bad request. Not a POST request';

export function serveResourceConsumer(req: HttpRequest, nowMs: number): { answer: HttpAnswer; load?: CpuLoad } {
  const url = new URL(req.path, 'http://consumer');
  if (req.method !== 'POST') return { answer: httpError(400, BAD_REQUEST) };
  if (url.pathname !== '/ConsumeCPU') return { answer: httpError(404, `unknown function: ${url.pathname}`) };
  const millicoresText = url.searchParams.get('millicores') ?? '';
  const durationText = url.searchParams.get('durationSec') ?? '';
  if (millicoresText === '' || durationText === '') return { answer: httpError(400, 'not given function argument') };
  const millicores = atoi(millicoresText);
  const durationSec = atoi(durationText);
  if (millicores === undefined || durationSec === undefined) return { answer: httpError(400, 'incorrect function argument') };
  return {
    answer: { code: 200, body: `ConsumeCPU\n${millicores} millicores\n${durationSec} durationSec\n` },
    load: { millicores, fromMs: nowMs, untilMs: nowMs + durationSec * 1000 },
  };
}

/** Go's http.Error: the text and a newline. */
function httpError(code: number, text: string): HttpAnswer {
  return { code, body: `${text}\n` };
}

/** strconv.Atoi: a whole decimal number, or undefined. */
function atoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}
