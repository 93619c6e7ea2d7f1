/**
 * What can go wrong on a network link, as numbers a test or a notebook turns up and down
 * while the simulation runs. The `Network` reads these on every send.
 *
 *   net.faults.set({ dropRate: 0.1 });                        // every link loses 1 message in 10
 *   net.faults.setLink('etcd-1', 'etcd-2', { reorder: true }); // this one direction also reorders
 *   net.faults.on('etcd-1', 'etcd-2') => { dropRate: 0.1, duplicateRate: 0, extraDelayMs: [0, 0], reorder: true }
 *   net.faults.clear();                                        // a perfect network again
 *
 * Settings for a link (one direction, from -> to) override the global ones field by field.
 * Partitions and crashed nodes are not rates; they are `Network` methods (partition, down).
 */
export interface LinkFaults {
  /** Probability in [0, 1] that a message is lost. 0.1 => about 1 message in 10 never arrives. */
  readonly dropRate: number;
  /** Probability in [0, 1] that a message arrives twice (the copy takes its own latency). */
  readonly duplicateRate: number;
  /** Extra one-way latency, [smallest, largest] whole ms, on top of the usual (1..3 ms by default). [0, 0] => none. */
  readonly extraDelayMs: readonly [number, number];
  /**
   * false (the default): the link is FIFO, like a TCP connection; a message never overtakes an
   * earlier one on the same link. true: each message arrives after its own latency, so a
   * message sent later with a shorter latency arrives first.
   */
  readonly reorder: boolean;
}

const NO_FAULTS: LinkFaults = { dropRate: 0, duplicateRate: 0, extraDelayMs: [0, 0], reorder: false };

export class FaultSettings {
  private global: LinkFaults = NO_FAULTS;
  private readonly links = new Map<string, Partial<LinkFaults>>();

  /**
   * @param changed called after every change with a one-line description, e.g.
   *   'faults: dropRate 0.1, reorder on' (the network writes it to the trace).
   */
  constructor(private readonly changed: (summary: string) => void) {}

  /** Changes the given fields on every link; the others keep their value. */
  set(faults: Partial<LinkFaults>): void {
    this.global = Object.assign({}, this.global, validated(faults));
    this.changed(`faults: ${describe(faults)}`);
  }

  /** Changes the given fields on the link from -> to only (one direction); they win over `set`. */
  setLink(from: string, to: string, faults: Partial<LinkFaults>): void {
    const key = linkKey(from, to);
    this.links.set(key, Object.assign({}, this.links.get(key), validated(faults)));
    this.changed(`faults on ${from} -> ${to}: ${describe(faults)}`);
  }

  /** Back to a perfect network: no drops, duplicates, extra delay or reordering anywhere. */
  clear(): void {
    this.global = NO_FAULTS;
    this.links.clear();
    this.changed('faults cleared');
  }

  /** The settings a message from -> to gets now: the global ones, overridden by the link's own. */
  on(from: string, to: string): LinkFaults {
    if (this.links.size === 0) return this.global;
    const own = this.links.get(linkKey(from, to));
    return own === undefined ? this.global : Object.assign({}, this.global, own);
  }
}

/** The key of the one-way link from -> to (node names never contain a NUL character). */
export function linkKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function validated(faults: Partial<LinkFaults>): Partial<LinkFaults> {
  for (const name of ['dropRate', 'duplicateRate'] as const) {
    const rate = faults[name];
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be a probability in [0, 1], got ${rate}`);
  }
  const delay = faults.extraDelayMs;
  if (delay !== undefined) {
    const [lo, hi] = delay;
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && lo <= hi)) {
      throw new RangeError(`extraDelayMs must be [smallest, largest] whole ms with 0 <= smallest <= largest, got [${lo}, ${hi}]`);
    }
  }
  // Leave out fields given as undefined, so that they do not erase a setting when merged.
  return Object.fromEntries(Object.entries(faults).filter(([, value]) => value !== undefined));
}

/** { dropRate: 0.1, reorder: true } => 'dropRate 0.1, reorder on' */
function describe(faults: Partial<LinkFaults>): string {
  const parts: string[] = [];
  if (faults.dropRate !== undefined) parts.push(`dropRate ${faults.dropRate}`);
  if (faults.duplicateRate !== undefined) parts.push(`duplicateRate ${faults.duplicateRate}`);
  if (faults.extraDelayMs !== undefined) parts.push(`extraDelayMs ${faults.extraDelayMs[0]}..${faults.extraDelayMs[1]}`);
  if (faults.reorder !== undefined) parts.push(`reorder ${faults.reorder ? 'on' : 'off'}`);
  return parts.length === 0 ? 'unchanged' : parts.join(', ');
}
