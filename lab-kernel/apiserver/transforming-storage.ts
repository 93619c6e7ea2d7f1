import type { KeyValue, RangeResult, StoreEvent, TxnResponse, TxnResult, WatchListener, WatchOptions, Compare, TxnOp } from '../store/mvcc-store';
import type { ValueTransformer } from '../store/value-transformer';
import { StorageError, type Done, type Storage } from '../etcd/storage';

/**
 * The API server's storage layer with a value transformer in it: what kube-apiserver does
 * with --encryption-provider-config. Values are encrypted on their way to etcd and decrypted
 * on their way back, in the API server, so etcd — one member or five, and every backup of
 * them — only ever holds ciphertext:
 *
 *   txn put /registry/secrets/default/db '{"kind":"Secret",...}'
 *   // etcd stores 'k8s:enc:aesgcm:v1:key1:<nonce, ciphertext, tag>'
 *   range /registry/secrets/default/db      // => '{"kind":"Secret",...}' again
 *
 * A value that does not decrypt (wrong key, tampered bytes) fails the read as a storage
 * error, which the API server answers with 500, as kube-apiserver does.
 */
export class TransformingStorage implements Storage {
  constructor(
    private readonly inner: Storage,
    private readonly transformer: ValueTransformer,
  ) {
    if (inner.grantLease !== undefined) this.grantLease = (ttl, done) => inner.grantLease!(ttl, done);
    if (inner.requestProgress !== undefined) this.requestProgress = () => inner.requestProgress!();
  }

  grantLease?: (ttlSeconds: number, done: Done<{ id: number }>) => void;
  requestProgress?: () => void;

  range(key: string, options: { prefix: boolean; revision?: number }, summary: string, done: Done<RangeResult>): void {
    this.inner.range(key, options, summary, (r) => done(this.guard(r, (ok) => (Object.assign({}, ok, { kvs: ok.kvs.map((kv) => this.read(kv)) })))));
  }

  txn(compares: Compare[], onSuccess: TxnOp[], summary: string, done: Done<TxnResult>): void {
    const ops = onSuccess.map((op) => (op.type === 'put' ? Object.assign({}, op, { value: this.transformer.toStorage(op.key, op.value) }) : op));
    this.inner.txn(compares, ops, summary, (r) =>
      done(this.guard(r, (ok) => (Object.assign({}, ok, { events: ok.events.map((e) => this.readEvent(e)), responses: ok.responses.map((res) => this.readResponse(res)) })))),
    );
  }

  watch(key: string, options: WatchOptions, listener: WatchListener, onError: (err: StorageError) => void): () => void {
    let ended = false;
    const stop = this.inner.watch(
      key,
      options,
      (events, revision) => {
        if (ended) return;
        let plain: StoreEvent[];
        try {
          plain = events.map((e) => this.readEvent(e));
        } catch (err) {
          // A value that does not decrypt ends the watch, as onError promises.
          ended = true;
          stop();
          return onError(new StorageError((err as Error).message));
        }
        listener(plain, revision);
      },
      onError,
    );
    return () => {
      ended = true;
      stop();
    };
  }

  /** Applies `decode` to a successful answer; a value that fails to decrypt becomes a StorageError. */
  private guard<T>(result: T | StorageError, decode: (ok: T) => T): T | StorageError {
    if (result instanceof StorageError) return result;
    try {
      return decode(result);
    } catch (err) {
      return new StorageError((err as Error).message);
    }
  }

  private read(kv: KeyValue): KeyValue {
    return kv.value === '' ? kv : Object.assign({}, kv, { value: this.transformer.fromStorage(kv.key, kv.value) });
  }

  private readEvent(e: StoreEvent): StoreEvent {
    return Object.assign({}, e, { kv: this.read(e.kv), prevKv: e.prevKv === undefined ? undefined : this.read(e.prevKv) });
  }

  private readResponse(res: TxnResponse): TxnResponse {
    return res.type === 'range' ? Object.assign({}, res, { kvs: res.kvs.map((kv) => this.read(kv)) }) : res;
  }
}
