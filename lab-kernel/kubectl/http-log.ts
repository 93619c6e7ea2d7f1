import { findResource } from '../api/resources';
import { requestPath, type ApiRequest, type Verb } from '../api/request';
import type { Kubectl } from './kubectl';

/**
 * What kubectl's `-v=6` shows: the HTTP request each command becomes, and the code it got back.
 * Each request is sent through the kubectl given; the log keeps one row per request.
 *
 *   const rest = httpLog(kubectl);
 *   const cm = rest.send('get configmap settings', { verb: 'get', resource: 'configmaps', namespace: 'default', name: 'settings' });
 *   rest.rows
 *   // => [{ kubectl: 'get configmap settings', verb: 'get', 'HTTP request': 'GET /api/v1/namespaces/default/configmaps/settings', answer: 200 }]
 */
export const HTTP_METHOD: Readonly<Record<Verb, string>> = {
  create: 'POST',
  get: 'GET',
  list: 'GET',
  watch: 'GET',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
};

export interface HttpLogRow {
  kubectl: string;
  verb: Verb;
  'HTTP request': string;
  answer: number;
}

export interface HttpLog {
  /** Sends `req` as the kubectl command `command`; returns the answer's body (an object, a list or a Status). */
  send(command: string, req: ApiRequest): any;
  readonly rows: HttpLogRow[];
}

/** `POST /api/v1/namespaces/default/configmaps` */
export function httpRequestLine(req: ApiRequest): string {
  const info = findResource(req.resource);
  if (info === undefined) throw new Error(`no resource "${req.resource}"`);
  return `${HTTP_METHOD[req.verb]} ${requestPath(req, info.group, info.version)}`;
}

export function httpLog(kubectl: Pick<Kubectl, 'request'>): HttpLog {
  const rows: HttpLogRow[] = [];
  return {
    rows,
    send(command, req) {
      const res = kubectl.request(req);
      rows.push({ kubectl: command, verb: req.verb, 'HTTP request': httpRequestLine(req), answer: res.code });
      return res.body;
    },
  };
}
