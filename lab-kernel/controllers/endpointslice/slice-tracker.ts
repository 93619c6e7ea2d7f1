import type { EndpointSlice } from '../../api/types';
import { LABEL_SERVICE_NAME } from './slice-endpoints';

/**
 * What the EndpointSlice controller remembers of its own writes, so that it never acts on a
 * cache that has not caught up with them (EndpointSliceTracker, k8s.io/endpointslice, 1.32):
 * the generation of each slice it wrote, by Service, and the slices it deleted.
 *
 *   tracker.update(created)                                 // uid u1, generation 1
 *   tracker.staleSlices('default/web', [])                  // => true: u1 is not in the cache yet
 *   tracker.staleSlices('default/web', [u1 at generation 1]) // => false
 *   tracker.shouldSync(u1 at generation 1)                   // => false: its own write, nothing new
 *   tracker.expectDeletion(u1); tracker.handleDeletion(u1)   // => true: the delete it asked for
 */
const DELETION_EXPECTED = -1;

export class SliceTracker {
  private readonly byService = new Map<string, Map<string, number>>();

  /** The controller wrote this slice: the cache must show at least this generation. */
  update(slice: Readonly<EndpointSlice>): void {
    this.generations(slice, true)!.set(slice.metadata.uid!, slice.metadata.generation ?? 0);
  }

  /** The controller deleted this slice: the cache must lose it. */
  expectDeletion(slice: Readonly<EndpointSlice>): void {
    this.generations(slice, true)!.set(slice.metadata.uid!, DELETION_EXPECTED);
  }

  has(slice: Readonly<EndpointSlice>): boolean {
    return this.generations(slice, false)?.has(slice.metadata.uid!) ?? false;
  }

  /** A slice event is news: a slice the controller did not write, or a newer generation than its own. */
  shouldSync(slice: Readonly<EndpointSlice>): boolean {
    const g = this.generations(slice, false)?.get(slice.metadata.uid!);
    return g === undefined || (slice.metadata.generation ?? 0) > g;
  }

  /** A deletion the cache saw: true if the controller asked for it, false if someone else did (so sync again). */
  handleDeletion(slice: Readonly<EndpointSlice>): boolean {
    const gens = this.generations(slice, false);
    const g = gens?.get(slice.metadata.uid!);
    gens?.delete(slice.metadata.uid!);
    return g === undefined || g === DELETION_EXPECTED;
  }

  /**
   * StaleSlices: the cache is behind the controller's writes for this Service: a slice at an
   * older generation than written, one deleted still there, or one written still missing.
   */
  staleSlices(serviceKey: string, slices: readonly Readonly<EndpointSlice>[]): boolean {
    const gens = this.byService.get(serviceKey);
    if (gens === undefined) return false;
    const seen = new Set<string>();
    for (const slice of slices) {
      seen.add(slice.metadata.uid!);
      const g = gens.get(slice.metadata.uid!);
      if (g !== undefined && (g === DELETION_EXPECTED || g > (slice.metadata.generation ?? 0))) return true;
    }
    for (const [uid, g] of gens) if (g !== DELETION_EXPECTED && !seen.has(uid)) return true;
    return false;
  }

  /** The Service is gone: forget its slices. */
  deleteService(serviceKey: string): void {
    this.byService.delete(serviceKey);
  }

  private generations(slice: Readonly<EndpointSlice>, create: boolean): Map<string, number> | undefined {
    const key = `${slice.metadata.namespace}/${slice.metadata.labels?.[LABEL_SERVICE_NAME] ?? ''}`;
    let gens = this.byService.get(key);
    if (gens === undefined && create) this.byService.set(key, (gens = new Map()));
    return gens;
  }
}
