import { describe, expect, it } from 'vitest';
import { firstAnswer } from '../../solutions/dns/dns-search';
import { lookup } from './lookup';
import type { DnsQuery, DnsResponse } from './message';
import { podResolvConf } from './resolv-conf';

const conf = podResolvConf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c', namespace: 'default' }, spec: { containers: [] } }).conf;
/** A server that knows one name. */
const send = (query: DnsQuery): DnsResponse =>
  query.name === 'web.default.svc.cluster.local'
    ? { id: query.id, rcode: 'NOERROR', authoritative: true, answers: [{ name: query.name, ttl: 30, type: 'A', data: '10.96.1.5' }], authority: [], additional: [] }
    : { id: query.id, rcode: 'NXDOMAIN', authoritative: true, answers: [], authority: [], additional: [] };

describe('a lookup in a pod (the stub resolver over the pod\'s resolv.conf)', () => {
  it("sends the queries the search asks for, in order, and returns the answer's addresses", () => {
    const r = lookup('web', conf, send, firstAnswer);
    expect({ queries: r.exchanges.map((e) => e.query.name), addresses: r.addresses, answeredBy: r.answeredBy }).toEqual({
      queries: ['web.default.svc.cluster.local'],
      addresses: ['10.96.1.5'],
      answeredBy: 'web.default.svc.cluster.local',
    });
  });

  it('fails with HOST_NOT_FOUND after every name of the search list and the name itself', () => {
    const r = lookup('nope', conf, send, firstAnswer);
    expect(r.exchanges.map((e) => e.query.name)).toEqual(['nope.default.svc.cluster.local', 'nope.svc.cluster.local', 'nope.cluster.local', 'nope.lab.internal', 'nope']);
    expect(r.herrno).toBe('HOST_NOT_FOUND');
  });

  it('sends nothing for a name with a label over 63 characters (NO_RECOVERY)', () => {
    const r = lookup(`${'a'.repeat(64)}.default`, conf, send, firstAnswer);
    expect({ sent: r.exchanges.length, herrno: r.herrno }).toEqual({ sent: 0, herrno: 'NO_RECOVERY' });
  });

  it('feeds a query that got no reply back to the search as a timeout', () => {
    const r = lookup('web', conf, (q) => (q.name === 'web' ? undefined : send({ ...q, name: 'x' })), (input) => (input.replies.length === 0 ? { action: 'query', name: 'web' } : { action: 'fail', herrno: input.replies[0].rcode === 'TIMEOUT' ? 'TRY_AGAIN' : 'NO_RECOVERY' }));
    expect(r.herrno).toBe('TRY_AGAIN');
  });
});
