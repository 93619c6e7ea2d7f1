import { formatTime } from '../sim/trace';

/**
 * Chapter 04's two pictures, as mermaid flowcharts drawn from numbers a run produced.
 *
 *   watchWindowDiagram({ client: 'demo-informer', resource: 'configmaps', cutAt: 12_300, healedAt: 124_500,
 *     lastSeen: '1100', answer: '410 too old resource version: 1100 (1235)', newest: '1350' })
 *   informerPipelineDiagram({ watchEvents: 24, syncs: 5, key: 'default/web' })
 */

/** Mermaid's flowchart labels: double quotes close them, and # starts an entity. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/#(?!quot;)/g, '#35;');
}

/** The two numbers of 'too old resource version: X (Y)': what was asked for, and the oldest the watch cache can still replay. */
export function tooOldVersions(message: string): { requested: string; oldest: string } | undefined {
  const m = /too old resource version: (\d+) \((\d+)\)/.exec(message);
  return m === null ? undefined : { requested: m[1], oldest: m[2] };
}

export interface WatchWindowRun {
  /** The client that was cut off, and the resource it watches. */
  client: string;
  resource: string;
  /** When it was cut off, and when the network came back (virtual ms). */
  cutAt: number;
  healedAt: number;
  /** The last resourceVersion the client saw before the cut: where it asks to resume. */
  lastSeen: string;
  /** The API server's answer to that watch, as the trace has it: '410 too old resource version: X (Y)'. */
  answer: string;
  /** The newest resourceVersion at the heal (from a list). */
  newest: string;
}

/**
 * Why a 410 happens: the watch cache keeps a window of recent events that slides forward as
 * changes come in. When the client was cut off, its resourceVersion was inside the window; by
 * the time it came back, the window had slid past it.
 */
export function watchWindowDiagram(run: WatchWindowRun): string {
  const versions = tooOldVersions(run.answer);
  const oldest = versions?.oldest ?? '?';
  const before = Number(oldest) - 1;
  return [
    'flowchart TB',
    `  subgraph cut["${label(`at ${formatTime(run.cutAt)}: ${run.client} is cut off`)}"]`,
    '    direction LR',
    `    c1["${label(`older ${run.resource} events`)}"] --- c2["${label(`rv ${run.lastSeen}: the newest event, and the last ${run.client} saw`)}"]`,
    '  end',
    `  subgraph heal["${label(`at ${formatTime(run.healedAt)}: the network is back`)}"]`,
    '    direction LR',
    `    h1["${label(`rv ${run.lastSeen} … ${before}: slid out of the window, forgotten`)}"] --- h2["${label(`rv ${oldest} … ${run.newest}: the window, what the watch cache can still replay`)}"]`,
    '  end',
    '  cut ~~~ heal',
    `  client(["${label(`${run.client} resumes: watch from rv ${run.lastSeen}`)}"]) -->|"${label(run.answer)}"| heal`,
    '  style h1 fill:#f8d7da,stroke:#a33',
    '  style h2 fill:#c8e6c9,stroke:#383',
    '  style c2 fill:#c8e6c9,stroke:#383',
  ].join('\n');
}

export interface PipelineRun {
  /** Watch events the component's reflectors received in the window. */
  watchEvents: number;
  /** Syncs the worker ran for `key` in the window. */
  syncs: number;
  key: string;
}

/**
 * client-go's informer pipeline, stage by stage, with the lab's name for each stage beside
 * client-go's, and what passed through it in one run.
 */
export function informerPipelineDiagram(run: PipelineRun): string {
  const stage = (id: string, goName: string, labName: string) => `  ${id}["${label(`<b>${goName}</b><br/>lab: ${labName}`)}"]`;
  return [
    'flowchart TB',
    '  api[("kube-apiserver<br/>watch cache")]',
    stage('r', 'Reflector', 'Reflector, reflectorStep (client/reflector.ts)'),
    stage('f', 'DeltaFIFO', 'none: Informer.apply handles each event in order'),
    stage('i', 'Indexer', 'Indexer, read through a Lister (client/store.ts)'),
    stage('h', 'ResourceEventHandler', 'EventHandlers onAdd, onUpdate, onDelete'),
    stage('q', 'workqueue (rate limited)', 'WorkQueue (client/work-queue.ts)'),
    stage('w', 'worker + syncHandler', 'runWorker + the reconcile (client/controller-runner.ts)'),
    `  api -->|"${label(`list, then ${run.watchEvents} watch events`)}"| r`,
    '  r -->|"Deltas"| f',
    '  f -->|"update the cache"| i',
    '  i -->|"then notify"| h',
    '  h -->|"add the key"| q',
    `  q -->|"${label(`${run.syncs} syncs of ${run.key}`)}"| w`,
    '  w -.->|"read from the Lister"| i',
  ].join('\n');
}
