/**
 * The untouched exercise (exercises/raft/), loaded through the raft slot as the cluster and the
 * grader load it. A fresh node builds and hands out (empty) Readys — that plumbing is given —
 * and each of the four parts fails with its own exercise id at the first call that needs it:
 *
 *   tick(), step(any message from a peer)  => not implemented yet: raft-election
 *   propose(data)                          => not implemented yet: raft-replication
 *   newRaft({ ..., restored })             => not implemented yet: raft-persistence
 *   compact(index, data)                   => not implemented yet: raft-snapshots
 *
 * And the exercise keeps mirroring the reference: same files, same functions.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import * as exerciseElection from '../../exercises/raft/election';
import * as exercisePersistence from '../../exercises/raft/persistence';
import * as exerciseRaft from '../../exercises/raft/raft';
import * as exerciseReplication from '../../exercises/raft/replication';
import * as exerciseSnapshots from '../../exercises/raft/snapshots';
import * as referenceElection from '../../solutions/raft/election';
import * as referencePersistence from '../../solutions/raft/persistence';
import * as referenceRaft from '../../solutions/raft/raft';
import * as referenceReplication from '../../solutions/raft/replication';
import * as referenceSnapshots from '../../solutions/raft/snapshots';
import { repoRoot } from '../slots/manifest';
import { loadSlot, SlotError } from '../slots/slots';
import { message, type Config } from './types';

const newRaft = loadSlot('raft', 'exercise');
const config: Config = { id: 'a', peers: ['a', 'b', 'c'], seed: 1 };

function failure(run: () => unknown): SlotError {
  try {
    run();
  } catch (err) {
    if (err instanceof SlotError) return err;
    throw err;
  }
  throw new Error('expected a SlotError');
}

describe('the raft exercise, untouched', () => {
  it('builds a node that reports its status and an empty Ready', () => {
    const node = newRaft(config);
    expect(node.status()).toMatchObject({ id: 'a', role: 'follower', term: 0, lead: null });
    expect(node.hasReady()).toBe(false);
    expect(node.ready()).toEqual({ entries: [], committedEntries: [], messages: [], readStates: [] });
  });

  it('throws "not implemented yet: raft-election" from tick and from step of a fresh node', () => {
    const node = newRaft(config);
    for (const err of [
      failure(() => node.tick()),
      failure(() => node.step(message({ type: 'MsgVote', from: 'b', to: 'a', term: 1 }))),
      failure(() => node.step(message({ type: 'MsgApp', from: 'b', to: 'a', term: 1 }))),
    ]) {
      expect(err.failure).toBe('not-implemented');
      expect(err.message).toBe('not implemented yet: raft-election');
    }
  });

  it.each([
    ['raft-replication', 'propose', () => newRaft(config).propose('x')],
    ['raft-persistence', 'a restart', () => newRaft({ ...config, restored: { hardState: { term: 1, vote: null, commit: 0 }, entries: [], snapshot: null } })],
    ['raft-snapshots', 'compact', () => newRaft(config).compact(0, '')],
  ])('throws "not implemented yet: %s" from %s on a fresh node', (id, _, run) => {
    const err = failure(run);
    expect(err.failure).toBe('not-implemented');
    expect(err.message).toBe(`not implemented yet: ${id}`);
  });
});

describe('the raft exercise mirrors the reference', () => {
  const folder = (side: string) => path.join(repoRoot(), side, 'raft');
  const files = (side: string) => fs.readdirSync(folder(side)).filter((f) => f.endsWith('.ts'));

  it('in its files (the given plumbing both use lives in lab-kernel/raft/)', () => {
    expect(files('exercises')).toEqual(files('solutions'));
  });

  it.each([
    ['raft.ts', exerciseRaft, referenceRaft],
    ['election.ts', exerciseElection, referenceElection],
    ['replication.ts', exerciseReplication, referenceReplication],
    ['persistence.ts', exercisePersistence, referencePersistence],
    ['snapshots.ts', exerciseSnapshots, referenceSnapshots],
  ])('in the functions %s exports and their parameters', (_, exercise, reference) => {
    const shape = (mod: object) => Object.entries(mod).map(([name, value]) => `${name}/${typeof value === 'function' ? (value as (...a: unknown[]) => unknown).length : typeof value}`);
    expect(shape(exercise)).toEqual(shape(reference));
  });
});
