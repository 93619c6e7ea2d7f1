import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CycleRecord, decisionTable, DecisionLog, simulatorAnnotations, type DecisionRecord, type FilterVerdict } from './decision-record';
import { success, unresolvable } from './framework-types';

const record: DecisionRecord = {
  pod: 'default/web',
  schedulerName: 'default-scheduler',
  at: 1000,
  selected: 'node-1',
  nodes: [
    { node: 'control-plane', filters: [{ plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] }], scores: [] },
    {
      node: 'node-1',
      filters: [{ plugin: 'TaintToleration', code: 'Success', reasons: [] }],
      scores: [{ plugin: 'TaintToleration', raw: 0, normalized: 100, weighted: 300 }],
      total: 300,
    },
  ],
};

describe('decision records (as kube-scheduler-simulator shows them)', () => {
  it('draws one row per node: filter verdicts, weighted scores, the total and the pick', () => {
    expect(decisionTable(record)).toEqual([
      { node: 'control-plane', TaintToleration: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', total: '', selected: '' },
      { node: 'node-1', TaintToleration: 'passed', 'score:TaintToleration': 300, total: 300, selected: '*' },
    ]);
  });

  it('writes the simulator\'s annotations: raw scores in score-result, weighted in finalscore-result', () => {
    const a = simulatorAnnotations(record);
    expect(JSON.parse(a['kube-scheduler-simulator.sigs.k8s.io/score-result'])).toEqual({ 'node-1': { TaintToleration: '0' } });
    expect(JSON.parse(a['kube-scheduler-simulator.sigs.k8s.io/finalscore-result'])).toEqual({ 'node-1': { TaintToleration: '300' } });
    expect(a['kube-scheduler-simulator.sigs.k8s.io/selected-node']).toBe('node-1');
  });

  it('keeps only the most recent records', () => {
    const log = new DecisionLog(2);
    for (const pod of ['a', 'b', 'c']) log.add({ ...record, pod });
    expect(log.all().map((r) => r.pod)).toEqual(['b', 'c']);
  });

  it('keeps no more node rows than its budget, but always the latest record', () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ node: `node-${i}`, filters: [], scores: [] }));
    const log = new DecisionLog(100, 10);
    log.add({ ...record, pod: 'a', nodes: rows(4) });
    log.add({ ...record, pod: 'b', nodes: rows(4) });
    log.add({ ...record, pod: 'a', nodes: rows(4) }); // rescheduled: its old record goes, b stays
    expect(log.all().map((r) => r.pod)).toEqual(['b', 'a']);
    log.add({ ...record, pod: 'c', nodes: rows(4) });
    expect(log.all().map((r) => r.pod)).toEqual(['a', 'c']);
    log.add({ ...record, pod: 'd', nodes: rows(12) });
    expect(log.all().map((r) => r.pod)).toEqual(['d']);
  });

  it('reads a cycle\'s columns back as the same rows a plain record holds', () => {
    const pass = (plugin: string): FilterVerdict => ({ plugin, code: 'Success', reasons: [] });
    const rec = new CycleRecord('default/web', 'default-scheduler', ['NodeName', 'TaintToleration'], pass);
    rec.tried('control-plane', Object.assign(unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'), { plugin: 'TaintToleration' }));
    rec.tried('node-1', success());
    rec.tried('node-2', success());
    rec.scored(
      [{ plugin: 'TaintToleration', weight: 3, normalize: 'none', scores: [{ name: 'node-1', score: 100 }, { name: 'node-2', score: 50 }] }],
      new Map([['TaintToleration', [0, 1]]]),
      [{ plugin: 'TaintToleration', scores: [{ name: 'node-1', score: 300 }, { name: 'node-2', score: 150 }] }],
      [{ name: 'node-2', score: 150 }, { name: 'node-1', score: 300 }],
    );
    rec.selected = 'node-1';
    expect(rec.rowCount).toBe(3);
    expect(rec.nodes).toEqual([
      { node: 'control-plane', filters: [pass('NodeName'), { plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] }], scores: [] },
      { node: 'node-1', filters: [pass('NodeName'), pass('TaintToleration')], scores: [{ plugin: 'TaintToleration', raw: 0, normalized: 100, weighted: 300 }], total: 300 },
      { node: 'node-2', filters: [pass('NodeName'), pass('TaintToleration')], scores: [{ plugin: 'TaintToleration', raw: 1, normalized: 50, weighted: 150 }], total: 150 },
    ]);
    expect(rec.nodes, 'the rows are made once').toBe(rec.nodes);
    expect(JSON.parse(JSON.stringify(rec)), 'it prints as a plain record').toEqual({ pod: 'default/web', schedulerName: 'default-scheduler', at: 0, selected: 'node-1', nodes: JSON.parse(JSON.stringify(rec.nodes)) });
    expect(inspect(rec)).toContain("node: 'node-2'");
    expect(decisionTable(rec)[1]).toEqual({ node: 'node-1', NodeName: 'passed', TaintToleration: 'passed', 'score:TaintToleration': 300, total: 300, selected: '*' });
  });
});
