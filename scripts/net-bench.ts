/**
 * The packet network's micro benchmark (not in npm test; the speed target is 10,000
 * traced requests in under 1 s):
 *
 *   npx ts-node --transpile-only scripts/net-bench.ts
 *
 *   10,000 UDP requests from a pod to a service address that the node DNATs (-m statistic over
 *   3 endpoint pods on the same bridge), each traced end to end (about 30 hops), and answered:
 *   wall-clock seconds for all of them, after a warm-up of 1,000.
 */
import { iptablesRestore } from '../lab-kernel/net/iptables-restore';
import { nodeLab } from '../lab-kernel/net/scenario.fixture';

const lab = nodeLab(1);
iptablesRestore(
  lab.node.netfilter,
  [
    '*nat',
    ':SVC - [0:0]',
    '-A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j SVC',
    '-A SVC -m statistic --mode random --probability 0.33333333349 -j DNAT --to-destination 10.244.1.3:53',
    '-A SVC -m statistic --mode random --probability 0.50000000000 -j DNAT --to-destination 10.244.1.4:53',
    '-A SVC -j DNAT --to-destination 10.244.1.5:53',
    'COMMIT',
    '',
  ].join('\n'),
  { noflush: true },
);
for (const pod of lab.pods.slice(1, 4)) lab.net.listen(pod, 'udp', 53, (_req, reply) => reply({ length: 80, payload: pod.name }));

function burst(n: number): { answered: number; hops: number } {
  let answered = 0;
  let hops = 0;
  for (let i = 0; i < n; i++) {
    lab.net.request(lab.pods[0], { proto: 'udp', dst: '10.96.0.10', port: 53, length: 40 }, (r) => {
      if (r.outcome === 'response') answered++;
      hops += r.trace.hops.length;
    });
    if (i % 1000 === 999) lab.sim.runFor(1000);
  }
  lab.sim.runFor(2000);
  return { answered, hops };
}

burst(1000);
const started = process.hrtime.bigint(); // wall-clock: this is a benchmark
const { answered, hops } = burst(10_000);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`10,000 traced requests through DNAT: ${seconds.toFixed(3)} s wall, ${answered} answered, ${(hops / 10_000).toFixed(1)} hops each`);
