import { GoSyntax } from '../status';
import type { IntOrString } from '../types';

/**
 * Values the way kube-apiserver 1.32 prints them in a validation message. apimachinery's
 * field.Error (v0.32) writes a number, a bool or a string plainly, anything else with Go's
 * %#v — so a map of labels and an intstr.IntOrString appear as Go source:
 *
 *   goStringMap({ tier: 'fe', app: 'web' })  // => map[string]string{"app":"web", "tier":"fe"}   (keys sorted, as fmt does)
 *   goStringMap(undefined)                   // => map[string]string(nil)
 *   goIntOrString(0)                         // => intstr.IntOrString{Type:0, IntVal:0, StrVal:""}
 *   goIntOrString('0%')                      // => intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}
 *   goStringSlice(['10.96.0.10'])            // => []string{"10.96.0.10"}
 *
 * (IntOrString has a String() method, but on its pointer: v0.32's field.Error does not use it
 * for the value it is given. Later versions do, and print `0`.)
 */
export function goStringMap(m: Readonly<Record<string, string>> | undefined | null): GoSyntax {
  if (m === undefined || m === null) return new GoSyntax('map[string]string(nil)');
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return new GoSyntax(`map[string]string{${entries.join(', ')}}`);
}

export function goIntOrString(v: IntOrString): GoSyntax {
  return new GoSyntax(typeof v === 'number' ? `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}` : `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`);
}

export function goStringSlice(values: readonly string[]): GoSyntax {
  return new GoSyntax(`[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`);
}
