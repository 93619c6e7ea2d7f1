import { describe, expect, it } from 'vitest';
import { evaluateTable } from '../../solutions/net/netfilter-eval';
import { lookupRoute } from '../../solutions/net/route-lookup';
import { standaloneNodeNetwork } from '../runtime/node-network';
import { Simulation } from '../sim/simulation';
import { RuleRestorer, type Jump } from './jump-chains';
import { namespaceNetfilter } from './node-netfilter';

const JUMP: Jump = ['nat', 'PREROUTING', 'KUBE-SERVICES', '-m comment --comment "kubernetes service portals"'];
const RULES = '*nat\n:KUBE-SERVICES - [0:0]\nCOMMIT\n';

function node() {
  const sim = new Simulation({ seed: 1 });
  const { host } = standaloneNodeNetwork(sim, 'node-1', lookupRoute, evaluateTable);
  return namespaceNetfilter(host, () => sim.now());
}

const jumpsIn = (saved: string) => saved.split('\n').filter((l) => l.startsWith('-A PREROUTING')).length;

describe("a proxier's rules put in place (RuleRestorer)", () => {
  it('adds the jumps from the built-in chains on the first sync only, and again after a refused restore', () => {
    const nf = node();
    const rules = new RuleRestorer(nf, [JUMP]);
    expect(rules.restore(RULES)).toBeUndefined();
    expect(jumpsIn(nf.save())).toBe(1);
    nf.restore('*nat\n-F PREROUTING\nCOMMIT\n');
    expect(rules.restore(RULES)).toBeUndefined();
    expect(jumpsIn(nf.save()), 'a sync after a good one leaves the jumps alone').toBe(0);
    expect(rules.restore('*nat\n-A KUBE-SERVICES -j KUBE-SVC-NOPE\nCOMMIT\n')?.message).toMatch(/Couldn't load target `KUBE-SVC-NOPE'/);
    expect(rules.restore(RULES)).toBeUndefined();
    expect(jumpsIn(nf.save()), 'the sync after a failure is a full one').toBe(1);
  });
});
