import { describe, expect, it } from 'vitest';
import type { ApiResponse } from '../api/request';
import { StatusError, unauthorized, type Status } from '../api/status';
import type { Pod } from '../api/types';
import { createInDefault as create, startApiServer as setup, testPod as pod } from './api-server.fixture';
import { MAX_REQUEST_BODY_BYTES } from './pipeline';
import type { AdmissionPlugin, Authorizer } from './pipeline-types';

const message = (res: ApiResponse) => (res.body as Status).message;

const nobodyMayDoAnything: Authorizer = { name: 'Nothing', authorize: () => ({ decision: 'NoOpinion', reason: '' }) };
const bob = () => ({ user: { username: 'bob', groups: ['system:authenticated'] }, by: 'test' });

describe('authentication (T03.2)', () => {
  it('answers 401 Unauthorized when the credentials are presented but not accepted', () => {
    const { call } = setup({ authenticate: () => unauthorized() });
    expect(call({ verb: 'list', resource: 'pods' })).toMatchObject({ code: 401, body: { reason: 'Unauthorized', message: 'Unauthorized' } });
  });

  it('traces who the user is before anything else happens', () => {
    const { call, sim } = setup({ authenticate: bob });
    call({ verb: 'list', resource: 'pods' });
    expect(sim.trace.all().some((e) => e.summary === 'authentication: user "bob" (groups system:authenticated) by test')).toBe(true);
  });
});

describe('authorization (T03.3)', () => {
  it("403 in kube-apiserver's words when no authorizer allows: a list in a namespace", () => {
    const { call } = setup({ authenticate: bob, authorizers: [nobodyMayDoAnything] });
    const res = call({ verb: 'list', resource: 'pods', namespace: 'default' });
    expect(res.code).toBe(403);
    expect(res.body).toMatchObject({ reason: 'Forbidden', message: 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"' });
  });

  it('names the object, the subresource, and "at the cluster scope" where they apply', () => {
    const { call } = setup({ authenticate: bob, authorizers: [nobodyMayDoAnything] });
    expect(message(call({ verb: 'get', resource: 'pods', namespace: 'dev', name: 'web' }))).toBe('pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "dev"');
    expect(message(call({ verb: 'create', resource: 'pods', namespace: 'dev', name: 'web', subresource: 'binding', body: {} }))).toBe(
      'pods "web" is forbidden: User "bob" cannot create resource "pods/binding" in API group "" in the namespace "dev"',
    );
    expect(message(call({ verb: 'list', resource: 'nodes' }))).toBe('nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope');
    expect(message(call({ verb: 'list', resource: 'replicasets', namespace: 'dev' }))).toBe(
      'replicasets.apps is forbidden: User "bob" cannot list resource "replicasets" in API group "apps" in the namespace "dev"',
    );
  });

  it('refuses watches too, before anything is streamed', () => {
    const { api } = setup({ authenticate: bob, authorizers: [nobodyMayDoAnything] });
    let status: Status | undefined;
    api.watch('test', { verb: 'watch', resource: 'pods' }, () => {}, (s) => (status = s));
    expect(status).toMatchObject({ code: 403 });
  });

  it('asks authorizers in order, and the first Allow wins', () => {
    const allowAll: Authorizer = { name: 'Everything', authorize: () => ({ decision: 'Allow', reason: 'test' }) };
    const { call } = setup({ authenticate: bob, authorizers: [nobodyMayDoAnything, allowAll] });
    expect(call({ verb: 'list', resource: 'pods' }).code).toBe(200);
  });
});

describe('admission (T03.4)', () => {
  const addLabel: AdmissionPlugin = {
    name: 'AddTeam',
    operations: ['CREATE'],
    mutate: (req) => {
      req.object!.metadata.labels = { ...req.object!.metadata.labels, team: 'blue' };
      return undefined;
    },
  };
  const noLatest: AdmissionPlugin = {
    name: 'NoLatest',
    validate: (req) => ((req.object as Pod | undefined)?.spec.containers.some((c) => !c.image.includes(':')) ? new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', message: 'pick a tag', code: 403 }) : undefined),
  };

  it('runs mutating plugins before validation and validating plugins after, in that order in the trace', () => {
    const { call, sim } = setup({ authenticate: bob, admission: () => [addLabel, noLatest] });
    const res = create(call, pod('web'));
    expect(res.code).toBe(201);
    expect((res.body as Pod).metadata.labels).toEqual({ app: 'web', team: 'blue' });
    const stages = sim.trace
      .all()
      .filter((e) => e.actor === 'kube-apiserver' && (e.data as { stage?: string } | undefined)?.stage !== undefined)
      .map((e) => (e.data as { stage: string }).stage);
    expect(stages.slice(-4)).toEqual(['authentication', 'mutating admission', 'validation', 'validating admission']);
  });

  it('a refusal ends the request with the status the plugin gave, and nothing is stored', () => {
    const { call, store } = setup({ admission: () => [noLatest] });
    const res = create(call, { ...pod('web'), spec: { containers: [{ name: 'web', image: 'nginx' }] } });
    expect(res).toMatchObject({ code: 403, body: { message: 'pick a tag' } });
    expect(store.get('/registry/pods/default/web')).toBeUndefined();
  });

  it('a plugin that throws is a 500 naming it, not a crash', () => {
    const broken: AdmissionPlugin = { name: 'Broken', validate: () => { throw new Error('oops'); } };
    const { call } = setup({ admission: () => [broken] });
    expect(create(call, pod('web'))).toMatchObject({ code: 500, body: { message: 'Internal error occurred: admission plugin "Broken" failed: oops' } });
  });
});

describe('request limits and dry-run', () => {
  it('answers 413 for a body over 3 MiB', () => {
    const { call } = setup();
    const big = { ...pod('big'), metadata: { name: 'big', annotations: { blob: 'x'.repeat(MAX_REQUEST_BODY_BYTES) } } };
    expect(create(call, big)).toMatchObject({ code: 413, body: { reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' } });
  });

  it('dry-run runs every stage and answers as if created, but stores nothing', () => {
    const { call, store } = setup();
    const res = call({ verb: 'create', resource: 'pods', namespace: 'default', body: pod('web'), dryRun: true });
    expect(res.code).toBe(201);
    expect((res.body as Pod).spec.restartPolicy).toBe('Always');
    expect(store.get('/registry/pods/default/web')).toBeUndefined();
    expect(call({ verb: 'create', resource: 'pods', namespace: 'default', body: { ...pod('BAD') }, dryRun: true }).code).toBe(422);
  });
});
