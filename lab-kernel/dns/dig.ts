import type { LookupExchange } from './lookup';
import { recordLine, type ResourceRecord } from './message';

/**
 * One query and its reply as `dig` (BIND 9.18) prints them, abridged: no EDNS pseudo-section,
 * no query time or message size, and single tabs between a record's fields. dig asks for the
 * name exactly as given (it does not use the search list unless told +search).
 *
 *   ; <<>> DiG 9.18 <<>> web.default.svc.cluster.local A
 *   ;; Got answer:
 *   ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1
 *   ;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0
 *   ;; WARNING: recursion requested but not available
 *
 *   ;; QUESTION SECTION:
 *   ;web.default.svc.cluster.local.	IN	A
 *
 *   ;; ANSWER SECTION:
 *   web.default.svc.cluster.local.	30	IN	A	10.96.1.5
 *
 *   ;; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)
 *
 * The kubernetes plugin's answers are authoritative (aa) and do not offer recursion, hence
 * dig's warning; a forwarded answer has ra instead of aa.
 */
export function formatDig(server: string, exchange: LookupExchange): string {
  const { query, response } = exchange;
  const lines = [`; <<>> DiG 9.18 <<>> ${query.name} ${query.type}`];
  if (response === undefined) {
    lines.push(`;; communications error to ${server}#53: timed out`, ';; no servers could be reached');
    return `${lines.join('\n')}\n`;
  }
  const flags = ['qr', response.authoritative ? 'aa' : '', 'rd', response.authoritative ? '' : 'ra'].filter((f) => f !== '');
  lines.push(';; Got answer:', `;; ->>HEADER<<- opcode: QUERY, status: ${response.rcode}, id: ${response.id}`);
  lines.push(`;; flags: ${flags.join(' ')}; QUERY: 1, ANSWER: ${response.answers.length}, AUTHORITY: ${response.authority.length}, ADDITIONAL: ${response.additional.length}`);
  if (response.authoritative) lines.push(';; WARNING: recursion requested but not available');
  lines.push('', ';; QUESTION SECTION:', `;${query.name}.\tIN\t${query.type}`);
  const section = (title: string, rrs: readonly ResourceRecord[]) => {
    if (rrs.length > 0) lines.push('', `;; ${title} SECTION:`, ...rrs.map(recordLine));
  };
  section('ANSWER', response.answers);
  section('AUTHORITY', response.authority);
  section('ADDITIONAL', response.additional);
  lines.push('', `;; SERVER: ${server}#53(${server}) (UDP)`);
  return `${lines.join('\n')}\n`;
}
