/**
 * How `kubectl get` prints a table, whatever the kind (printers.ts, events-printer.ts):
 *
 *   { wide: true }                  // -o wide: the extra columns
 *   { withNamespace: true }         // -A: a NAMESPACE column first
 *   { namespace: 'dev' }            // nothing found => "No resources found in dev namespace."
 */
export interface PrintOptions {
  wide?: boolean;
  /** Prefix a NAMESPACE column (`-A`). */
  withNamespace?: boolean;
  /** The namespace listed, for the "No resources found in <ns> namespace." message. */
  namespace?: string;
}
