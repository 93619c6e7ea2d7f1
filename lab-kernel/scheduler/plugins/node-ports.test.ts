import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_NODE_PORTS, nodePortsPlugin, portsConflict } from './node-ports';
import type { Pod } from '../../api/types';
import { event, requeueHint, testHandle, testNode, testPod } from './testing';

const handle = testHandle([]);

describe('NodePorts', () => {
  const cases: [string, string[], string[], boolean][] = [
    ['the same protocol, address and port conflict', ['TCP/0.0.0.0/8080'], ['TCP/0.0.0.0/8080'], true],
    ['a wildcard in use conflicts with a specific address', ['TCP/0.0.0.0/8080'], ['TCP/10.0.0.1/8080'], true],
    ['a wanted wildcard conflicts with a specific address in use', ['TCP/10.0.0.1/8080'], ['TCP/0.0.0.0/8080'], true],
    ['another protocol on the same port does not conflict', ['TCP/0.0.0.0/8080'], ['UDP/0.0.0.0/8080'], false],
    ['two specific addresses do not conflict', ['TCP/10.0.0.1/8080'], ['TCP/10.0.0.2/8080'], false],
    ['another port does not conflict', ['TCP/0.0.0.0/8080'], ['TCP/0.0.0.0/9090'], false],
  ];
  for (const [name, used, wanted, conflict] of cases) it(name, () => expect(portsConflict(new Set(used), wanted)).toBe(conflict));

  it('a second pod with hostPort 8080 does not fit: "node(s) didn\'t have free ports for the requested pod ports"', () => {
    const withPort = (name: string) => testPod(name, {}, {}, [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }]);
    const node = nodeInfoFor(testNode('node-1'), [withPort('first')]);
    expect(nodePortsPlugin(handle).filter(new Map(), withPort('second'), node)).toEqual({ code: 'Unschedulable', reasons: [ERR_REASON_NODE_PORTS] });
  });

  it('does a pod without host ports skip the Filter? PreFilter says Skip; with one, it keeps the ports for Filter', () => {
    const plugin = nodePortsPlugin(handle);
    expect(plugin.preFilter(new Map(), testPod('plain'), []).status.code).toBe('Skip');
    const state = new Map();
    const pod = testPod('web', {}, {}, [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }]);
    expect(plugin.preFilter(state, pod, []).status.code).toBe('Success');
    expect(state.get('PreFilterNodePorts')).toEqual(['TCP/0.0.0.0/8080']);
  });
});

describe('NodePorts QueueingHints', () => {
  const plugin = nodePortsPlugin(handle);
  const withPort = (name: string, hostPort: number, nodeName?: string): Pod =>
    testPod(name, {}, nodeName ? { nodeName } : {}, [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, hostPort }] }]);
  const rows: [string, ReturnType<typeof event>, unknown, unknown, string][] = [
    ['a bound pod on the same host port deleted => Queue', event('AssignedPod', 'Delete'), withPort('old', 8080, 'node-3'), undefined, 'Queue'],
    ['a bound pod on another host port deleted => QueueSkip', event('AssignedPod', 'Delete'), withPort('old', 9090, 'node-3'), undefined, 'QueueSkip'],
    ['a bound pod without host ports deleted => QueueSkip', event('AssignedPod', 'Delete'), testPod('old', {}, { nodeName: 'node-3' }), undefined, 'QueueSkip'],
    ['a pending pod on the same port deleted => QueueSkip', event('UnschedulablePod', 'Delete'), withPort('old', 8080), undefined, 'QueueSkip'],
    ['a node added => Queue (no hint)', event('Node', 'Add'), undefined, testNode('node-4'), 'Queue'],
    ['a taint change => Queue (the quirk)', event('Node', 'UpdateNodeTaint'), testNode('node-4'), testNode('node-4'), 'Queue'],
  ];
  it.each(rows)('%s', (_name, e, oldObj, newObj, expected) => {
    expect(requeueHint(plugin, withPort('p', 8080), e, oldObj, newObj)).toBe(expected);
  });
});
