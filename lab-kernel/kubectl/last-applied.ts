/**
 * kubectl apply's memory of what it last applied: the whole manifest, as JSON, in an
 * annotation of the object. The next apply compares with it (kubectl.ts); a rollback keeps the
 * Deployment's own copy (rollout-undo.ts).
 *
 *   parseLastApplied('{"kind":"Pod"}')   // => { kind: 'Pod' }
 *   parseLastApplied('not json')         // => {}
 */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function parseLastApplied(text: string | undefined): Record<string, unknown> {
  try {
    const parsed = text === undefined ? {} : (JSON.parse(text) as unknown);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
