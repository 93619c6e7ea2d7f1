import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { kernelSourceFiles } from './kernel-files.fixture';

/**
 * The kernel's imports run one way, from the foundation up, so each layer can be read (and
 * tested) knowing only the layers below it:
 *
 *   0  sim, api                       the simulation; Kubernetes' object model
 *   1  store, raft, check             the MVCC store; Raft; the checkers
 *   2  etcd                           the replicated etcd
 *   3  apiserver                      the API server
 *   4  client                         informers, work queues, the typed client
 *   5  controllers, scheduler, kubelet, runtime, proxy, cni, dns, kubectl, viz, metrics-server, ingress   the components (runtime: the node's container runtime; proxy: kube-proxy; cni: the pod network's per-node agents; dns: the cluster DNS and the pods' resolver; ingress: the ingress controller)
 *   6  slots, cluster                 where exercise code is loaded, and the composition root
 *   7  index.ts                       what the notebooks import
 *
 * A module may import from its own layer (without making a cycle) or from a lower one.
 */
const LAYERS: Record<string, number> = {
  sim: 0,
  api: 0,
  store: 1,
  raft: 1,
  check: 1,
  net: 1,
  etcd: 2,
  apiserver: 3,
  client: 4,
  controllers: 5,
  scheduler: 5,
  kubelet: 5,
  runtime: 5,
  proxy: 5,
  kubectl: 5,
  viz: 5,
  'metrics-server': 5,
  cni: 5,
  dns: 5,
  ingress: 5,
  slots: 6,
  cluster: 6,
  'index.ts': 7,
};

const KERNEL = __dirname;

/** The kernel modules a file imports (type-only imports included: they are dependencies to a reader too). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'(\.[^']+)'/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    found.push(fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts'));
  }
  return found;
}

const rel = (f: string) => path.relative(KERNEL, f);
const layerOf = (f: string) => LAYERS[rel(f).split(path.sep)[0]];

describe('the kernel’s imports', () => {
  const modules = kernelSourceFiles();
  const graph = new Map(modules.map((m) => [m, importsOf(m)]));

  it('places every folder of the kernel in a layer', () => {
    expect(modules.filter((m) => layerOf(m) === undefined).map(rel)).toEqual([]);
  });

  it('run one way: no module imports from a layer above its own', () => {
    const upward = modules.flatMap((m) => graph.get(m)!.filter((d) => layerOf(d) > layerOf(m)).map((d) => `${rel(m)} -> ${rel(d)}`));
    expect(upward).toEqual([]);
  });

  it('make no cycle', () => {
    // Tarjan's strongly connected components: any component of more than one module is a cycle.
    let index = 0;
    const indexOf = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (v: string) => {
      indexOf.set(v, index);
      low.set(v, index++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!indexOf.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
      }
      if (low.get(v) === indexOf.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(rel(w));
        } while (w !== v);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const m of modules) if (!indexOf.has(m)) visit(m);
    expect(cycles).toEqual([]);
  });
});
