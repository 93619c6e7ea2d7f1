import type { Rng } from '../sim/rng';
import type { DnsResponse, ResourceRecord } from './message';

/**
 * CoreDNS's `loadbalance` plugin (plugin/loadbalance, round_robin policy): every successful
 * response has its address records shuffled, so that clients taking the first address spread
 * over a headless Service's pods. CNAMEs stay in front (a resolver follows them in order), then
 * the other records, then the shuffled A/AAAA records. The shuffle draws from a seeded stream
 * where CoreDNS uses dns.Id(): two records swap on an even draw; more are shuffled by swapping
 * each with one at or after it.
 *
 *   loadBalance(NOERROR [CNAME x, A 1, A 2, A 3], rng)  // => [CNAME x, A 3, A 1, A 2] (an order the seed picks)
 *   loadBalance(NXDOMAIN ..., rng)                     // => unchanged
 *
 * Only the answer section is shuffled here (CoreDNS shuffles authority and additional too,
 * which the lab's responses never need).
 */
export function loadBalance(response: DnsResponse, rng: Rng): DnsResponse {
  if (response.rcode !== 'NOERROR' || response.answers.length < 2) return response;
  const cnames = response.answers.filter((rr) => rr.type === 'CNAME');
  const addresses = response.answers.filter((rr) => rr.type === 'A' || rr.type === 'AAAA');
  const rest = response.answers.filter((rr) => rr.type !== 'CNAME' && rr.type !== 'A' && rr.type !== 'AAAA');
  return Object.assign({}, response, { answers: [...cnames, ...rest, ...shuffled(addresses, rng)] });
}

function shuffled(records: ResourceRecord[], rng: Rng): ResourceRecord[] {
  const out = [...records];
  if (out.length === 2) {
    if (rng.nextUint32() % 2 === 0) out.reverse();
    return out;
  }
  for (let j = 0; j < out.length; j++) {
    const p = j + (rng.nextUint32() % (out.length - j));
    [out[j], out[p]] = [out[p], out[j]];
  }
  return out;
}
