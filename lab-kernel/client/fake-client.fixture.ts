import type { Status } from '../api/status';
import type { Pod, WatchEvent } from '../api/types';
import type { ApiRequest, ApiResponse } from '../api/request';
import type { ReflectorStep } from './reflector-contract';
import type { RelistDiff } from './relist-contract';
import { REFERENCE_REFLECTOR_STEP, REFERENCE_RELIST_DIFF } from './reference-reflector.fixture';

/**
 * For tests: stands in for a Client whose API server is the test itself, which answers each
 * list and drives each watch by hand.
 *
 *   const client = new FakeClient();
 *   new Informer(sim, client as unknown as Client, { resource: 'pods' }).start();
 *   client.answerList('40', [pod('a', '40')]);        // the informer lists a
 *   client.lastWatch.send({ type: 'DELETED', ... });  // then hears it deleted
 */
export class FakeClient {
  readonly component = 'test-controller';
  readonly lists: ((res: ApiResponse) => void)[] = [];
  /** Every list request, in order (their resourceVersion). */
  readonly listRequests: ApiRequest[] = [];
  readonly watches: { req: ApiRequest; send: (e: WatchEvent) => void; fail: (s: Status) => void; open: boolean }[] = [];

  constructor(
    readonly reflectorStep: ReflectorStep = REFERENCE_REFLECTOR_STEP,
    readonly relistDiff: RelistDiff = REFERENCE_RELIST_DIFF,
  ) {}

  request(req: ApiRequest, onResponse: (res: ApiResponse) => void): void {
    this.listRequests.push(req);
    this.lists.push(onResponse);
  }

  watch(req: ApiRequest, onEvent: (e: WatchEvent) => void, onError: (s: Status) => void): () => void {
    const w = { req, send: onEvent, fail: onError, open: true };
    this.watches.push(w);
    return () => {
      w.open = false;
    };
  }

  /** Answers the latest list request. */
  answerList(resourceVersion: string, items: Pod[]): void {
    this.lists[this.lists.length - 1]({ code: 200, body: { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion }, items } });
  }

  get lastWatch() {
    return this.watches[this.watches.length - 1];
  }
}
