import { describe, expect, it } from 'vitest';
import type { Status } from '../api/status';
import type { KubeObject } from '../api/types';
import { ADMIN, createCluster } from '../cluster/cluster';
import { Rng } from '../sim/rng';
import type { Credentials } from '../api/request';
import type { ApiRequest, ApiResponse } from '../api/request';

/**
 * A fuzz corpus for the API server: a seeded generator makes a few hundred bad requests —
 * invalid names, fields of the wrong type, missing required fields, unknown resources,
 * bodies that are not objects, the wrong kind for the URL, a namespace that contradicts the
 * URL, bad selectors, bad resourceVersions, negative replicas, duplicate names, bodies over
 * 3 MiB — and every one must be refused the way kube-apiserver refuses: a 4xx carrying a
 * well-formed Status (and, for 422, the field causes), never an exception. Afterwards the
 * cluster still serves a good request.
 */
const admin: Credentials = { clientCertificate: { commonName: ADMIN.username, organizations: ADMIN.groups } };

/** One bad request and the code kube-apiserver answers it with (undefined: any 4xx). */
interface Case {
  what: string;
  req: ApiRequest;
  code?: number;
}

const container = (name = 'web', image = 'nginx:1.27') => ({ name, image });
const podBody = (name: string, spec: unknown = { containers: [container()] }): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
const deploymentBody = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec });
const goodTemplate = { metadata: { labels: { app: 'web' } }, spec: { containers: [container()] } };
const create = (resource: string, body: unknown, namespace: string | undefined = 'default'): ApiRequest => ({ verb: 'create', resource, namespace, body, credentials: admin });

/** The generators, each making one bad request from the random stream. */
const GENERATORS: ((rng: Rng, n: number) => Case)[] = [
  (rng, n) => {
    const name = rng.pick(['Web', 'web_1', '-web', 'web-', 'a'.repeat(254), 'we b', 'web..x', 'UPPER']) + (rng.int(2) ? '' : `x${n}`).toLowerCase();
    return { what: `invalid pod name ${JSON.stringify(name.slice(0, 20))}`, req: create('pods', podBody(name)), code: 422 };
  },
  (rng, n) => {
    const name = rng.pick(['1web', 'web.svc', 'web_svc', 'Web']) + n;
    return { what: `a Service name that is not a DNS-1035 label (${name})`, req: create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } }), code: 422 };
  },
  (rng, n) => {
    const spec = rng.pick<Record<string, unknown>>([{ replicas: 'three' }, { replicas: 1.5 }, { selector: 'app=web' }, { template: 'nginx' }, { template: { spec: { containers: 'nginx' } } }]);
    const body = deploymentBody(`typed-${n}`, { selector: { matchLabels: { app: 'web' } }, template: goodTemplate, ...spec });
    return { what: `a Deployment field of the wrong type (${Object.keys(spec)[0]})` , req: create('deployments', body) };
  },
  (rng, n) => {
    const bad = rng.pick<unknown>([{ labels: 'app=web' }, { labels: { app: 7 } }, { name: 42 }, { annotations: ['a'] }]);
    return { what: 'metadata of the wrong type', req: create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `meta-${n}`, ...(bad as object) } }) };
  },
  (rng, n) => {
    const missing = rng.pick([
      { what: 'a Deployment without selector', resource: 'deployments', body: deploymentBody(`d-${n}`, { template: goodTemplate }) },
      { what: 'a Deployment without template', resource: 'deployments', body: deploymentBody(`d-${n}`, { selector: { matchLabels: { app: 'web' } } }) },
      { what: 'a Service without ports', resource: 'services', body: { apiVersion: 'v1', kind: 'Service', metadata: { name: `s-${n}` }, spec: { selector: { app: 'web' } } } },
      { what: 'a Job without template', resource: 'jobs', body: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: `j-${n}` }, spec: {} } },
      { what: 'a CronJob without schedule', resource: 'cronjobs', body: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: `c-${n}` }, spec: { jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } } } } },
      { what: 'a PVC without access modes', resource: 'persistentvolumeclaims', body: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `p-${n}` }, spec: { resources: { requests: { storage: '1Gi' } } } } },
      { what: 'a RoleBinding without roleRef', resource: 'rolebindings', body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${n}` }, subjects: [] } },
      { what: 'a pod without containers', resource: 'pods', body: podBody(`p-${n}`, {}) },
      { what: 'an object without a name', resource: 'configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } },
    ]);
    return { what: missing.what, req: create(missing.resource, missing.body), code: 422 };
  },
  (rng) => {
    const resource = rng.pick(['foos', 'pod', 'Pods', 'deployment', 'widgets.example.com', '']);
    return { what: `unknown resource ${JSON.stringify(resource)}`, req: { verb: rng.pick(['get', 'list', 'create'] as const), resource, namespace: 'default', name: 'x', body: {}, credentials: admin }, code: 404 };
  },
  (rng) => {
    const body = rng.pick<unknown>(['a string', 42, null, [], [{ kind: 'Pod' }], true]);
    return { what: `a body that is not an object (${JSON.stringify(body)})`, req: create(rng.pick(['pods', 'configmaps', 'deployments']), body), code: 400 };
  },
  (rng, n) => {
    const kind = rng.pick(['Service', 'Deployment', 'Node', 'Podd']);
    return { what: `kind ${kind} sent to the pods URL`, req: create('pods', { ...podBody(`k-${n}`), kind }), code: 400 };
  },
  (rng, n) => {
    const ns = rng.pick(['kube-system', 'other', 'Default']);
    return { what: `body namespace ${ns} under the default namespace URL`, req: create('pods', { ...podBody(`ns-${n}`), metadata: { name: `ns-${n}`, namespace: ns } }), code: 400 };
  },
  (rng) => {
    const labelSelector = rng.pick(['app in (', 'app=web=x', '!!app', 'app notin', 'a b', '=web']);
    return { what: `bad label selector ${JSON.stringify(labelSelector)}`, req: { verb: 'list', resource: 'pods', namespace: 'default', labelSelector, credentials: admin }, code: 400 };
  },
  (rng) => {
    const fieldSelector = rng.pick(['spec.nope=1', 'metadata.name', 'status.phase~Running', '=x', 'metadata.labels=a']);
    return { what: `bad field selector ${JSON.stringify(fieldSelector)}`, req: { verb: 'list', resource: 'pods', namespace: 'default', fieldSelector, credentials: admin }, code: 400 };
  },
  (rng) => {
    const resourceVersion = rng.pick(['abc', '-1', '1.5', 'latest']);
    return { what: `update with resourceVersion ${resourceVersion}`, req: { verb: 'update', resource: 'configmaps', namespace: 'default', name: 'base', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base', resourceVersion }, data: { k: 'v' } }, credentials: admin } };
  },
  (rng, n) => {
    const replicas = -rng.between(1, 1000);
    return { what: `replicas ${replicas}`, req: create('deployments', deploymentBody(`neg-${n}`, { replicas, selector: { matchLabels: { app: 'web' } }, template: goodTemplate })), code: 422 };
  },
  (rng, n) => {
    const name = rng.pick(['web', 'app', 'sidecar']);
    return { what: `two containers named ${name}`, req: create('pods', podBody(`dup-${n}`, { containers: [container(name), container(name, 'busybox')] })), code: 422 };
  },
  (rng, n) => {
    const port = rng.pick([0, -1, 65536, 100000]);
    return { what: `container port ${port}`, req: create('pods', podBody(`port-${n}`, { containers: [{ ...container(), ports: [{ containerPort: port }] }] })), code: 422 };
  },
  (rng, n) => {
    const schedule = rng.pick(['every minute', '* * * *', '61 * * * *', '@fortnightly', '*/0 * * * *', 'x * * * *']);
    const body = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: `cron-${n}` }, spec: { schedule, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } } } } } };
    return { what: `CronJob schedule ${JSON.stringify(schedule)}`, req: create('cronjobs', body), code: 422 };
  },
  (rng, n) => {
    const key = rng.pick(['a b', 'key/name', '..', 'ké']);
    return { what: `ConfigMap key ${JSON.stringify(key)}`, req: create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${n}` }, data: { [key]: 'v' } }), code: 422 };
  },
  (rng, n) => {
    const value = rng.pick(['admin', 'My-pass-123', 'abc', '====']);
    return { what: `Secret data ${JSON.stringify(value)} that is not base64`, req: create('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `sec-${n}` }, data: { password: value } }) };
  },
  (rng, n) => {
    const policy = rng.pick(['Sometimes', 'always', '']);
    return { what: `restartPolicy ${JSON.stringify(policy)}`, req: create('pods', podBody(`rp-${n}`, { containers: [container()], restartPolicy: policy })), code: 422 };
  },
  (rng) => {
    const verb = rng.pick(['get', 'update', 'delete'] as const);
    const name = `nope-${rng.int(1000)}`;
    return { what: `${verb} of a pod that does not exist`, req: { verb, resource: 'pods', namespace: 'default', name, body: podBody(name), credentials: admin }, code: 404 };
  },
  () => ({ what: 'create of an object that exists', req: create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base' } }), code: 409 }),
  // (kube-apiserver has no route for /api/v1/pods/<name>: 404; the lab answers 400 'namespace is required'.)
  (rng) => ({ what: 'a namespaced get without a namespace', req: { verb: 'get', resource: rng.pick(['pods', 'configmaps', 'deployments']), name: 'base', credentials: admin } }),
  (rng, n) => {
    const size = 3 * 1024 * 1024 + rng.between(1, 1024);
    return { what: `a body of ${size} bytes`, req: create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${n}` }, data: { blob: 'x'.repeat(size) } }), code: 413 };
  },
  (rng, n) => ({
    what: 'a Deployment whose selector does not match its template',
    req: create('deployments', deploymentBody(`mismatch-${n}`, { selector: { matchLabels: { app: rng.pick(['db', 'api']) } }, template: goodTemplate })),
    code: 422,
  }),
];

const CASES = 240;

function generate(seed: number): Case[] {
  const rng = new Rng(seed);
  // Every generator at least once, then random ones.
  return Array.from({ length: CASES }, (_, n) => (n < GENERATORS.length ? GENERATORS[n] : rng.pick(GENERATORS))(rng, n));
}

/** What is wrong with a refusal, or [] when it is a well-formed 4xx Status. */
function malformed(res: ApiResponse): string[] {
  const problems: string[] = [];
  const s = res.body as Partial<Status> | undefined;
  if (res.code < 400 || res.code >= 500) problems.push(`code ${res.code}`);
  if (s?.kind !== 'Status') problems.push('body is not a Status');
  if (s?.status !== 'Failure') problems.push(`status ${s?.status}`);
  if (typeof s?.reason !== 'string' || (s.reason as string) === '') problems.push('no reason');
  if (typeof s?.message !== 'string' || s.message === '') problems.push('no message');
  if (s?.code !== res.code) problems.push(`Status code ${s?.code} differs from HTTP ${res.code}`);
  if (res.code === 422) {
    const causes = s?.details?.causes;
    if (!Array.isArray(causes) || causes.length === 0) problems.push('422 without causes');
    for (const c of causes ?? []) if (!c.reason || typeof c.field !== 'string' || !c.message) problems.push(`incomplete cause ${JSON.stringify(c)}`);
  }
  return problems;
}

describe(`the API server refuses ${CASES} generated bad requests with well-formed Status answers`, () => {
  const cluster = createCluster({ seed: 1 });
  const send = (req: ApiRequest): ApiResponse => {
    let res: ApiResponse | undefined;
    cluster.apiServer.serve('fuzz', req, (r) => (res = r));
    if (!cluster.runUntil(() => res !== undefined, 30_000)) throw new Error(`no answer to ${req.verb} ${req.resource}`);
    return res!;
  };
  expect(send(create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base' }, data: { k: 'v' } })).code).toBe(201);
  const cases = generate(20251122);
  const answers = cases.map((c) => {
    try {
      return { c, res: send(c.req) };
    } catch (err) {
      return { c, res: undefined, thrown: String(err) };
    }
  });
  const byCode: Record<string, number> = {};
  for (const a of answers) byCode[a.res?.code ?? 'thrown'] = (byCode[a.res?.code ?? 'thrown'] ?? 0) + 1;

  it(`answers every one without throwing (${JSON.stringify(byCode)})`, () => {
    expect(answers.filter((a) => a.res === undefined).map((a) => `${a.c.what}: ${a.thrown}`)).toEqual([]);
  });

  it('answers every one with a 4xx Status whose code matches, and 422s name their fields', () => {
    const bad = answers.filter((a) => a.res !== undefined && malformed(a.res).length > 0).map((a) => `${a.c.what}: ${malformed(a.res!).join(', ')}`);
    expect(bad).toEqual([]);
  });

  it("answers with kube-apiserver's code for each kind of mistake", () => {
    const wrong = answers
      .filter((a) => a.res !== undefined && a.c.code !== undefined && a.res.code !== a.c.code)
      .map((a) => `${a.c.what}: expected ${a.c.code}, got ${a.res!.code} ${(a.res!.body as Status).message?.slice(0, 120)}`);
    expect(wrong).toEqual([]);
  });

  it('still serves a good request afterwards', () => {
    const res = send(create('pods', podBody('after-fuzz')));
    expect(res.code, JSON.stringify(res.body)).toBe(201);
  });
});
