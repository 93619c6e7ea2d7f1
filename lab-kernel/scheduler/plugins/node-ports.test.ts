import { describe, expect, it } from 'vitest';
import { nodeInfoFor } from '../node-info';
import { ERR_REASON_NODE_PORTS, nodePortsPlugin, portsConflict } from './node-ports';
import { testHandle, testNode, testPod } from './testing';

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
});
