import { describe, expect, it } from 'vitest';
import { iptablesRestore } from './iptables-restore';
import { parseIp } from './ipv4';
import { Ipvs } from './ipvs';
import { exchange, nodeLab, type NodeLab } from './scenario.fixture';

const VIP = parseIp('10.96.0.20');

/** The node binds 10.96.0.20 to kube-ipvs0 and has a virtual service on :80 over pods b, c and d (:8080), each answering its name. */
function ipvsLab(realServers = [1, 2, 3]): NodeLab {
  const lab = nodeLab();
  lab.net.addDummy(lab.node, 'kube-ipvs0');
  lab.node.addAddress('kube-ipvs0', '10.96.0.20/32');
  lab.node.ipvs.addService('tcp', VIP, 80);
  for (const i of realServers) lab.node.ipvs.addRealServer('tcp', VIP, 80, parseIp(`10.244.1.${i + 2}`), 8080);
  for (const pod of lab.pods.slice(1, 4)) lab.net.listen(pod, 'tcp', 8080, (_req, reply) => reply({ length: 10, payload: pod.name }));
  return lab;
}

const get = (lab: NodeLab, dst = '10.96.0.20', port = 80) => exchange(lab, (done) => lab.net.request(lab.pods[0], { proto: 'tcp', dst, port }, done));

describe('IPVS: virtual services at LOCAL_IN', () => {
  it('schedules new connections round-robin over the real servers, each reply coming back from the virtual address', () => {
    const lab = ipvsLab();
    const answers = [1, 2, 3, 4, 5, 6].map(() => {
      const r = get(lab);
      if (r.outcome !== 'response') throw new Error(r.error);
      const reply = r.trace.tcpdump('eth0', 'pod-a', false)[1];
      expect(reply).toMatch(/^IP 10\.96\.0\.20\.80 > 10\.244\.1\.2\.\d+: Flags \[S\.\]/);
      return r.response.payload;
    });
    expect(answers).toEqual(['pod-b', 'pod-c', 'pod-d', 'pod-b', 'pod-c', 'pod-d']);
  });

  it('shows the IPVS step in the trace: the virtual service and the real server chosen, then the DNAT', () => {
    const lab = ipvsLab();
    const r = get(lab);
    const steps = r.trace.lines().filter((l) => / ipvs | IPVS DNAT /.test(l)).map((l) => l.replace(/:\d{5} /g, ':<port> '));
    expect(steps).toEqual([
      '0.050 node   ipvs TCP 10.96.0.20:80 rr: new connection to 10.244.1.3:8080 (Masq)',
      '0.050 node   IPVS DNAT 10.244.1.2:<port> > 10.96.0.20:80 -> 10.244.1.2:<port> > 10.244.1.3:8080',
    ]);
  });

  it('prints ipvsadm -Ln: the virtual service, its scheduler, and each real server with its forwarding method, weight and connections', () => {
    const lab = ipvsLab([1, 2]);
    get(lab);
    get(lab);
    get(lab);
    expect(lab.node.ipvs.list(lab.sim.now())).toEqual([
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.96.0.20:80 rr',
      '  -> 10.244.1.3:8080              Masq    1      0          2',
      '  -> 10.244.1.4:8080              Masq    1      0          1',
    ]);
  });

  it('lists real servers sorted by address and port, whatever order they were added in, as ipvsadm sorts them', () => {
    const ipvs = new Ipvs();
    const vip = parseIp('10.96.0.20');
    ipvs.addService('tcp', vip, 80);
    for (const [ip, port] of [['10.244.2.2', 80], ['10.244.1.9', 8080], ['10.244.1.9', 80]] as const) ipvs.addRealServer('tcp', vip, 80, parseIp(ip), port);
    expect(ipvs.list(0).slice(4).map((l) => l.split(/ +/)[2])).toEqual(['10.244.1.9:80', '10.244.1.9:8080', '10.244.2.2:80']);
  });

  it('refuses a connection to a virtual service without real servers with an ICMP port unreachable', () => {
    const lab = ipvsLab([]);
    const r = get(lab);
    expect(r.outcome === 'error' && r.error).toBe('ECONNREFUSED');
    expect(r.trace.lines().some((l) => l.includes('ipvs TCP 10.96.0.20:80 rr: no destination available'))).toBe(true);
  });

  it('leaves a port of the virtual address without a virtual service to the local stack (here: nobody listens, so a reset)', () => {
    const lab = ipvsLab();
    const r = get(lab, '10.96.0.20', 81);
    expect(r.outcome === 'error' && r.error).toBe('ECONNREFUSED');
    expect(r.trace.lines().some((l) => l.includes(' ipvs '))).toBe(false);
  });
});

describe('REDIRECT: to this host', () => {
  it("sends a bridged pod's packet to the incoming interface's own address and the given port, and its reply back from the address first asked for", () => {
    const lab = nodeLab();
    iptablesRestore(lab.node.netfilter, '*nat\n-A PREROUTING -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 36789\nCOMMIT\n', { noflush: true });
    const seen: string[] = [];
    lab.net.listen(lab.node, 'tcp', 36789, (req, reply) => {
      seen.push(`${req.to}:${req.port}`);
      reply({ length: 5, payload: 'proxy' });
    });
    const r = get(lab);
    expect(r.outcome === 'response' && r.response.payload).toBe('proxy');
    expect(seen).toEqual([`${parseIp('10.244.1.1')}:36789`]);
    expect(r.trace.tcpdump('eth0', 'pod-a', false)[1]).toMatch(/^IP 10\.96\.0\.20\.80 > 10\.244\.1\.2\.\d+/);
  });
});
