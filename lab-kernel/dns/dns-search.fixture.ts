import type { DnsSearchFn, DnsSearchInput, DnsSearchStep, StubReply } from './dns-search-contract';

/**
 * The stub resolver's test setting, shared by its kernel test and the grader's suite: a pod in
 * namespace default on a lab node (whose own resolv.conf searches lab.internal), and drivers
 * that run a search step by step against replies given by name.
 */
export const POD_SEARCH = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'lab.internal'];

export const NXDOMAIN: StubReply = { rcode: 'NXDOMAIN', answers: 0 };
export const NODATA: StubReply = { rcode: 'NOERROR', answers: 0 };
export const FOUND: StubReply = { rcode: 'NOERROR', answers: 1 };
export const SERVFAIL: StubReply = { rcode: 'SERVFAIL', answers: 0 };
export const TIMEOUT: StubReply = { rcode: 'TIMEOUT', answers: 0 };
export const REFUSED: StubReply = { rcode: 'REFUSED', answers: 0 };

export interface SearchRun {
  /** The names queried, in order. */
  queried: string[];
  /** The last step: an answer or a failure. */
  outcome: DnsSearchStep;
}

/**
 * Runs a search to its end: each query gets the reply `replyFor` gives its name (NXDOMAIN when
 * it gives none). Stops a resolver that asks for more than 40 names.
 *   runSearch(firstAnswer, { name: 'web', search: POD_SEARCH, ndots: 5 }, { 'web.default.svc.cluster.local': FOUND })
 *   // => { queried: ['web.default.svc.cluster.local'], outcome: { action: 'answer', name: 'web.default.svc.cluster.local' } }
 */
export function runSearch(fn: DnsSearchFn, input: Omit<DnsSearchInput, 'replies'>, replyFor: Readonly<Record<string, StubReply>> = {}): SearchRun {
  const queried: string[] = [];
  const replies: StubReply[] = [];
  for (let i = 0; i < 40; i++) {
    const step = fn({ ...input, replies: [...replies] });
    if (step.action !== 'query') return { queried, outcome: step };
    queried.push(step.name);
    replies.push(replyFor[step.name] ?? NXDOMAIN);
  }
  throw new Error(`the resolver kept asking: ${queried.join(', ')}`);
}

/** The names a search asks for when nothing exists: every name it would ever try, in order. */
export function queriesOf(fn: DnsSearchFn, name: string, search: readonly string[] = POD_SEARCH, ndots = 5): string[] {
  return runSearch(fn, { name, search, ndots }).queried;
}
