import { describe, expect, it } from 'vitest';
import { nodeLab } from '../net/scenario.fixture';
import { runCommand } from './shell';
import { ipCommand } from './shell-ip';

const text = (r: { lines: { line: string }[] }) => r.lines.map((l) => l.line);

describe("busybox's ip applet", () => {
  it("ip addr in a pod: lo, then eth0 naming its veth peer's index on the node, with the address and its broadcast", () => {
    const { net, pods } = nodeLab();
    expect(text(ipCommand(['addr'], pods[0], net))).toEqual([
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue',
      '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
      '    inet 127.0.0.1/8 scope host lo',
      `2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue`,
      `    link/ether ${pods[0].device('eth0').mac} brd ff:ff:ff:ff:ff:ff`,
      '    inet 10.244.1.2/24 brd 10.244.1.255 scope global eth0',
    ]);
  });

  it('ip a on a node shows the bridge with its gateway address and each veth as a port of it (master cni0)', () => {
    const { net, node } = nodeLab();
    const lines = text(ipCommand(['a'], node, net));
    expect(lines).toContain('    inet 10.244.1.1/24 brd 10.244.1.255 scope global cni0');
    expect(lines.filter((l) => / master cni0$/.test(l))).toHaveLength(5);
    expect(lines).toContain('4: veth-a@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cni0');
  });

  it('ip route and its short forms print the routing table as ip route does', () => {
    const { net, pods } = nodeLab();
    const want = ['default via 10.244.1.1 dev eth0', '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2'];
    for (const args of [['route'], ['r'], ['route', 'show']]) expect(text(ipCommand(args, pods[0], net))).toEqual(want);
  });

  it('a down interface shows without UP and LOWER_UP, and no state line part (busybox built without IFF_DORMANT)', () => {
    const { net, pods } = nodeLab();
    pods[1].setDown('eth0');
    expect(text(ipCommand(['addr'], pods[1], net))[3]).toBe('2: eth0@if5: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noqueue');
  });

  it('M-DOWN marks a link whose peer index names no interface that is up in this namespace', () => {
    const { net, node } = nodeLab();
    const line = () => text(ipCommand(['addr'], node, net)).find((l) => l.startsWith('4: veth-a@if2:'));
    expect(line()).toBe('4: veth-a@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cni0');
    node.setDown([...node.interfaces.values()][1].name);
    expect(line()).toBe('4: veth-a@if2: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue master cni0');
  });

  it('anything but showing addresses and routes fails with exit code 1 and says what the lab does', () => {
    const { net, pods } = nodeLab();
    const r = ipCommand(['link', 'add', 'x', 'type', 'dummy'], pods[0], net);
    expect(r.status).toBe(1);
    expect(r.lines[0]).toMatchObject({ stream: 'stderr', line: expect.stringContaining('ip addr, ip route') });
  });

  it('runs in the shell from the container\'s network, and without one fails', () => {
    const { net, pods } = nodeLab();
    const run = runCommand(['sh', '-c', 'ip route && echo ok'], { network: () => ({ ns: pods[0], net }) });
    expect(run.output.map((l) => l.line)).toEqual(['default via 10.244.1.1 dev eth0', '10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2', 'ok']);
    expect(runCommand(['ip', 'addr']).exitCode).toBe(1);
  });
});
