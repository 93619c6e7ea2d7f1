import { describe, expect, it } from 'vitest';
import { createCluster } from '../cluster/cluster';
import { answerGrid, askEach } from './ask-each';
import { stageLine } from './request-trace';

describe('askEach and answerGrid', () => {
  it('sends every request as every caller, in order, and lays the answers out one row per caller', () => {
    const cluster = createCluster({ seed: 1 });
    const callers = [
      ['root', cluster.kubectlAs({ username: 'root', groups: ['system:masters'] })],
      ['eve', cluster.kubectlAs({ username: 'eve', groups: [] })],
    ] as const;
    const requests = [
      ['list pods', { verb: 'list', resource: 'pods', namespace: 'default' }],
      ['list nodes', { verb: 'list', resource: 'nodes' }],
    ] as const;
    const answers = askEach(cluster.trace, callers, requests);
    expect(answers.map((a) => `${a.caller}: ${a.request} => ${a.code}`)).toEqual([
      'root: list pods => 200',
      'root: list nodes => 200',
      'eve: list pods => 403',
      'eve: list nodes => 403',
    ]);
    expect(stageLine(answers[0].events, 'authorization')).toMatch(/system:masters/);
    expect(answers[3].body.message).toBe('nodes is forbidden: User "eve" cannot list resource "nodes" in API group "" at the cluster scope');
    expect(answerGrid(answers, (a) => (a.code < 400 ? 'Allowed' : 'Forbidden'))).toEqual([
      { caller: 'root', 'list pods': 'Allowed', 'list nodes': 'Allowed' },
      { caller: 'eve', 'list pods': 'Forbidden', 'list nodes': 'Forbidden' },
    ]);
  });
});
