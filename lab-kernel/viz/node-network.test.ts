import { describe, expect, it } from 'vitest';
import { nodeLab } from '../net/scenario.fixture';
import { nodeNetworkDiagram } from './node-network';

describe('nodeNetworkDiagram', () => {
  it("draws the node's root namespace (eth0, the bridge with its address, its ports) and each pod's namespace joined to its port by the veth pair", () => {
    const { net } = nodeLab();
    const lines = nodeNetworkDiagram(net, 'node', [{ name: 'default/a', netns: '/var/run/netns/pod-a' }]).split('\n');
    expect(lines).toContain('flowchart TB');
    expect(lines).toContain('  subgraph host["node · root network namespace"]');
    expect(lines).toContain('  h_cni0["cni0 (bridge)<br/>10.244.1.1/24"]');
    expect(lines).toContain('  h_eth0["eth0<br/>192.168.1.10/24"]');
    expect(lines).toContain('  h_veth_a --- h_cni0');
    expect(lines, 'a pod named from its netns path').toContain('  subgraph p0["default/a · netns pod-a"]');
    expect(lines).toContain('  p0_eth0["eth0<br/>10.244.1.2/24"]');
    expect(lines).toContain('  p0_eth0 <-- veth pair --> h_veth_a');
    expect(lines, 'a namespace the runtime did not name keeps its own name').toContain('  subgraph p1["pod-b · netns pod-b"]');
    expect(lines, "the node's veth on no bridge is its way to the LAN").toContain('  lan(("LAN")) --- h_eth0');
  });

  it('shows a down interface as down, and a pod that is gone leaves no box', () => {
    const { net, node } = nodeLab();
    node.setDown('veth-e');
    net.deleteNamespace('pod-d');
    const text = nodeNetworkDiagram(net, 'node');
    expect(text).toContain('  h_veth_e["veth-e<br/>down"]');
    expect(text).not.toContain('pod-d');
  });
});
