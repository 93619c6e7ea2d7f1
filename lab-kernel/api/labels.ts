import type { LabelSelector, Labels } from './types';

/**
 * Label selectors: how every part of Kubernetes groups objects (a ReplicaSet finds its pods,
 * a Service its endpoints). A selector matches when every requirement holds:
 *
 *   selectorMatches({ matchLabels: { app: 'web' } }, { app: 'web', tier: 'fe' })  // => true
 *   selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, { tier: 'db' })  // => false
 *   selectorMatches({}, { anything: 'x' })  // => true: an empty selector matches everything
 */
const NO_LABELS: Readonly<Labels> = Object.freeze({});
const NO_REQUIREMENTS: NonNullable<LabelSelector['matchExpressions']> = [];

export function selectorMatches(selector: Readonly<LabelSelector>, labels: Readonly<Labels> | undefined): boolean {
  const have = labels ?? NO_LABELS;
  // Asked for every pod at every sync of many controllers: no arrays made here.
  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined && matchLabels !== null) {
    for (const key in matchLabels) if (have[key] !== matchLabels[key]) return false;
  }
  for (const req of selector.matchExpressions ?? NO_REQUIREMENTS) {
    const present = Object.prototype.hasOwnProperty.call(have, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!present || !values.includes(have[req.key])) return false;
        break;
      case 'NotIn':
        if (present && values.includes(have[req.key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
    }
  }
  return true;
}

/**
 * Parses the `labelSelector` query syntax kubectl uses (`app=web,tier!=db,env in (a,b),!legacy`).
 *
 *   parseSelector('app=web,tier in (fe,be)')
 *   // => { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe','be'] }] }
 */
export function parseSelector(text: string): LabelSelector {
  const selector: LabelSelector = { matchLabels: {}, matchExpressions: [] };
  // Split on commas that are not inside parentheses.
  const parts = text.split(/,(?![^(]*\))/).map((p) => p.trim()).filter((p) => p.length > 0);
  for (const part of parts) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = m[3].split(',').map((v) => v.trim()).filter((v) => v.length > 0);
      selector.matchExpressions!.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = part.match(/^([\w./-]+)\s*!=\s*([\w./-]*)$/))) {
      selector.matchExpressions!.push({ key: m[1], operator: 'NotIn', values: [m[2]] });
    } else if ((m = part.match(/^([\w./-]+)\s*==?\s*([\w./-]*)$/))) {
      selector.matchLabels![m[1]] = m[2];
    } else if ((m = part.match(/^!([\w./-]+)$/))) {
      selector.matchExpressions!.push({ key: m[1], operator: 'DoesNotExist' });
    } else if ((m = part.match(/^([\w./-]+)$/))) {
      selector.matchExpressions!.push({ key: m[1], operator: 'Exists' });
    } else {
      throw new Error(`unable to parse requirement: ${JSON.stringify(part)}`);
    }
  }
  return selector;
}

/**
 * A selector as apimachinery's Selector.String() writes it (LabelSelectorAsSelector, then
 * String): its requirements sorted by key, values sorted; what a Scale's status.selector
 * carries and what `labelSelector=` takes back.
 *
 *   selectorString({ matchLabels: { app: 'web', tier: 'fe' } })                                  // => 'app=web,tier=fe'
 *   selectorString({ matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }] })   // => 'env in (a,b)'
 *   selectorString({})                                                                           // => ''
 */
export function selectorString(selector: Readonly<LabelSelector>): string {
  const parts: [string, string][] = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'In' ? `${e.key} in (${values})` : e.operator === 'NotIn' ? `${e.key} notin (${values})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    parts.push([e.key, text]);
  }
  return parts
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}
