import type { TraceEvent } from '../sim/trace';
import { boxLabel, breakLines, frontMatter } from './fit';

/**
 * Mermaid diagrams drawn from a run's trace — never by hand, so they show what the
 * simulated cluster really did.
 *
 *   componentDiagram(trace.all(), components)
 *   // flowchart LR ... kube-scheduler -->|"create pods/binding, list+watch nodes"| kube-apiserver ...
 *   sequenceDiagram(trace.between(t0, t0 + 3000))
 *   // sequenceDiagram ... kubectl->>kube-apiserver: create replicasets default ...
 *
 * Both return mermaid source text; viz/display.ts shows it in a notebook.
 */
export interface DiagramComponent {
  name: string;
  /** Machines group components into boxes. */
  host: string;
}

export interface ComponentDiagramOptions {
  /**
   * Break arrow labels after about this many characters (default 22), and draw 14 px text with
   * narrow spacing, so that a three-node cluster fits a notebook's width unscaled (fit.ts).
   */
  lineLength?: number;
}

/**
 * Who talks to whom: an arrow from the side that opens the connection, labelled with what it
 * asks for; a dotted arrow back for the events streamed on watches it opened.
 */
export function componentDiagram(events: readonly TraceEvent[], components: readonly DiagramComponent[], options: ComponentDiagramOptions = {}): string {
  const width = options.lineLength ?? 22;
  const ids = new Map(components.map((c, i) => [c.name, `c${i}`]));
  // For each edge: resource -> the verbs used on it, and how many requests in all.
  const requests = new Map<string, { verbs: Map<string, Set<string>>; count: number }>();
  const streams = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'message' || e.to === undefined || !ids.has(e.actor) || !ids.has(e.to)) continue;
    if (e.flow === 'request') {
      const edge = `${e.actor}\u0000${e.to}`;
      let what = requests.get(edge);
      if (what === undefined) requests.set(edge, (what = { verbs: new Map(), count: 0 }));
      const [verb, object] = requestParts(e);
      if (!what.verbs.has(object)) what.verbs.set(object, new Set());
      what.verbs.get(object)!.add(verb);
      what.count++;
    } else if (e.flow === 'event') {
      const edge = `${e.to}\u0000${e.actor}`;
      streams.set(edge, (streams.get(edge) ?? 0) + 1);
    }
  }
  const lines = [...frontMatter({ flowchart: { nodeSpacing: 16, rankSpacing: 30, padding: 6, diagramPadding: 4 } }), 'flowchart LR'];
  const hosts = [...new Set(components.map((c) => c.host))];
  hosts.forEach((host, i) => {
    lines.push(`  subgraph h${i}["${escapeLabel(host)}"]`);
    for (const c of components.filter((x) => x.host === host)) lines.push(`    ${ids.get(c.name)}["${escapeLabel(boxLabel(c.name))}"]`);
    lines.push('  end');
  });
  for (const [edge, what] of requests) {
    const [from, to] = edge.split('\u0000');
    const labels = [...what.verbs.entries()].map(([object, verbs]) => (object ? `${[...verbs].join('+')} ${object}` : [...verbs].join('+')));
    const shown = labels.slice(0, 3).join(', ') + (labels.length > 3 ? `, +${labels.length - 3} more` : '');
    lines.push(`  ${ids.get(from)} -->|"${breakLines(escapeLabel(`${shown} (${what.count})`), width)}"| ${ids.get(to)}`);
  }
  for (const [edge, count] of streams) {
    const [opener, server] = edge.split('\u0000');
    lines.push(`  ${ids.get(server)} -.->|"watch events (${count})"| ${ids.get(opener)}`);
  }
  return lines.join('\n');
}

export interface SequenceOptions {
  /** Leave out answers (dashed arrows) to keep long runs readable. Default false. */
  hideResponses?: boolean;
  /** Leave out the API server's own calls to etcd. Default false. */
  hideEtcd?: boolean;
  /** Draw at most this many lines, arrows and notes together (default 80); the diagram says how many were left out. */
  maxMessages?: number;
  /** Also show components' own actions as notes. Default true. */
  notes?: boolean;
}

/** What happened, in order: one arrow per message, notes for actions, errors highlighted. */
export function sequenceDiagram(events: readonly TraceEvent[], options: SequenceOptions = {}): string {
  const max = options.maxMessages ?? 80;
  const shown = events.filter((e) => {
    if (e.kind === 'message') {
      if (options.hideResponses && e.flow === 'response') return false;
      if (options.hideEtcd && (e.actor === 'etcd' || e.to === 'etcd')) return false;
      return true;
    }
    return options.notes !== false;
  });
  const kept = shown.slice(0, max);
  const participants: string[] = [];
  for (const e of kept) for (const p of [e.actor, e.to]) if (p !== undefined && !participants.includes(p)) participants.push(p);
  const id = (p: string) => `p${participants.indexOf(p)}`;
  const lines = ['sequenceDiagram'];
  for (const p of participants) lines.push(`  participant ${id(p)} as ${escapeText(p)}`);
  for (const e of kept) {
    const text = `${(e.time / 1000).toFixed(3)}s ${escapeText(e.summary)}`;
    if (e.kind === 'message' && e.to !== undefined) {
      const arrow = e.flow === 'response' ? '-->>' : e.flow === 'event' ? '-)' : '->>';
      lines.push(`  ${id(e.actor)}${arrow}${id(e.to)}: ${text}`);
    } else {
      lines.push(`  Note over ${id(e.actor)}: ${e.kind === 'error' ? 'ERROR ' : ''}${text}`);
    }
  }
  if (shown.length > kept.length && participants.length > 0) {
    lines.push(`  Note over ${id(participants[0])}: ... ${shown.length - kept.length} more not drawn`);
  }
  return lines.join('\n');
}

/** [verb, what it acts on] of a request: ['create', 'pods/binding'], ['CRI', ''], ['range/txn', '/registry/...']. */
function requestParts(e: TraceEvent): [string, string] {
  const verb = e.data?.verb;
  const resource = e.data?.resource;
  if (typeof verb === 'string' && typeof resource === 'string') return [verb, resource];
  if (typeof e.data?.cri === 'string') return ['CRI calls', ''];
  if (typeof e.data?.key === 'string') return [e.summary.split(' ')[0], '/registry/...'];
  const words = e.summary.split(' ');
  return [words[0], words.slice(1, 2).join(' ')];
}

/** Text inside a quoted flowchart label: no double quotes. */
function escapeLabel(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/**
 * Text of a sequence message or note: `;` ends a statement and `#` starts an entity in mermaid,
 * and its entity codes do not survive every renderer, so they become look-alikes.
 */
function escapeText(text: string): string {
  return text.replace(/;/g, ',').replace(/#/g, 'no.').replace(/\{/g, '(').replace(/\}/g, ')');
}
