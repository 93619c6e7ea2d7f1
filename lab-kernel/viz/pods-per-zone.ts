import type { Pod } from '../api/types';

/**
 * Where pods landed, one row per zone and node (and one for the pods still pending): what a
 * spreading experiment is judged by.
 *
 *   podsPerZone(kubectl.getObjects('pods'), { 'node-1': 'zone-a', 'node-2': 'zone-a', 'node-3': 'zone-b', 'node-4': 'zone-b' })
 *   // => [{ 'zone / node': '(pending)', pods: 1, names: 'web-vvjnj' },
 *   //     { 'zone / node': 'zone-a / node-1', pods: 2, names: 'web-8n95f web-cl7kc' },
 *   //     { 'zone / node': 'zone-a / node-2', pods: 2, names: 'web-2c4l6 web-89jtf' },
 *   //     { 'zone / node': 'zone-b / node-3', pods: 1, names: 'web-m8tld' },
 *   //     { 'zone / node': 'zone-b / node-4', pods: 2, names: 'web-jzhfq web-mvcqw' }]
 *
 * Rows are sorted by their first column; names keep the order the pods were listed in. A node
 * missing from `zoneOf` shows as "undefined / node-x".
 */
export interface ZoneRow {
  'zone / node': string;
  pods: number;
  names: string;
}

export function podsPerZone(pods: readonly Pod[], zoneOf: Readonly<Record<string, string>>): ZoneRow[] {
  const rows = new Map<string, string[]>();
  for (const p of pods) {
    const where = p.spec.nodeName ? `${zoneOf[p.spec.nodeName]} / ${p.spec.nodeName}` : '(pending)';
    rows.set(where, [...(rows.get(where) ?? []), p.metadata.name ?? '']);
  }
  return [...rows]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([where, names]) => ({ 'zone / node': where, pods: names.length, names: names.join(' ') }));
}
