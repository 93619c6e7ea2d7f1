/**
 * The errors the store reports, with the text an etcd client sees (etcd's
 * api/v3rpc/rpctypes/error.go: the server's error, prefixed with "etcdserver: "):
 *
 *   store.get('/k', { revision: 3 })   // after store.compact(5)
 *   // StoreError: etcdserver: mvcc: required revision has been compacted   (code 'compacted', compactRevision 5)
 *   store.get('/k', { revision: 99 })  // when the store is at revision 12
 *   // StoreError: etcdserver: mvcc: required revision is a future revision (code 'future-revision')
 *
 * A client that gets 'compacted' cannot resume where it was: it must read everything again
 * (a relist) from a revision at or after `compactRevision`.
 */
export const ERR_COMPACTED = 'etcdserver: mvcc: required revision has been compacted';
export const ERR_FUTURE_REV = 'etcdserver: mvcc: required revision is a future revision';
export const ERR_LEASE_NOT_FOUND = 'etcdserver: requested lease not found';
export const ERR_LEASE_EXIST = 'etcdserver: lease already exists';
export const ERR_LEASE_TTL_TOO_LARGE = 'etcdserver: too large lease TTL';
export const ERR_DUPLICATE_KEY = 'etcdserver: duplicate key given in txn request';

export type StoreErrorCode = 'compacted' | 'future-revision' | 'lease-not-found' | 'lease-exists' | 'lease-ttl-too-large' | 'duplicate-key';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For 'compacted': the store's compact revision, the oldest revision still readable. */
    readonly compactRevision?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export function compactedError(compactRevision: number): StoreError {
  return new StoreError('compacted', ERR_COMPACTED, compactRevision);
}

export function futureRevisionError(): StoreError {
  return new StoreError('future-revision', ERR_FUTURE_REV);
}

export function leaseNotFoundError(): StoreError {
  return new StoreError('lease-not-found', ERR_LEASE_NOT_FOUND);
}
