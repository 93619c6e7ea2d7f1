import { loadSlot, type SlotOptions, type SlotSource } from '../slots/slots';
import type { NewRaft } from './types';

/**
 * The raft slot, loaded exactly as the cluster loads it: a guarded function whose nodes come
 * back as guarded handles (arguments and results copied, each call under a time limit).
 *
 *   const newRaft = loadRaftSlot('solution');
 *   const node = newRaft({ id: 'a', peers: ['a', 'b', 'c'], seed: 1 });
 */
export function loadRaftSlot(source: SlotSource, options: SlotOptions = {}): NewRaft {
  return loadSlot('raft', source, options);
}
