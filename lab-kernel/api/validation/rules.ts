import { invalidValue, type StatusCause } from '../status';
import { jsonEqual } from '../json-equal';

/**
 * The building blocks every kind's validation shares: apimachinery's name and value checks
 * (k8s.io/apimachinery/pkg/util/validation), with their exact messages, and small helpers for
 * causes status.ts does not build.
 *
 *   dns1123Label('Web')         // => ["a lowercase RFC 1123 label must consist of ..."]
 *   portNumber(70000)           // => ['must be between 1 and 65535, inclusive']
 *   configMapKey('a b')         // => ["a valid config key must consist of alphanumeric characters, ..."]
 *
 * Each check returns the list of problems (empty when the value is fine); the caller turns
 * each one into a cause with invalidValue(field, value, message), as Kubernetes does.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const PORT_NAME_CHARS = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;

export const DNS1123_LABEL_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const DNS1123_SUBDOMAIN_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const DNS1035_LABEL_ERROR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
export const LABEL_VALUE_ERROR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
export const QUALIFIED_NAME_ERROR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
export const CONFIG_MAP_KEY_ERROR =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
export const PORT_RANGE_ERROR = 'must be between 1 and 65535, inclusive';
export const IMMUTABLE = 'field is immutable';
export const NON_NEGATIVE = 'must be greater than or equal to 0';

const maxLen = (n: number) => `must be no more than ${n} characters`;

export function dns1123Label(value: string): string[] {
  const errs = value.length > 63 ? [maxLen(63)] : [];
  if (!DNS1123_LABEL.test(value)) errs.push(DNS1123_SUBDOMAIN.test(value) ? 'must not contain dots' : DNS1123_LABEL_ERROR);
  return errs;
}

export function dns1123Subdomain(value: string): string[] {
  return [...(value.length > 253 ? [maxLen(253)] : []), ...(DNS1123_SUBDOMAIN.test(value) ? [] : [DNS1123_SUBDOMAIN_ERROR])];
}

export function dns1035Label(value: string): string[] {
  return [...(value.length > 63 ? [maxLen(63)] : []), ...(DNS1035_LABEL.test(value) ? [] : [DNS1035_LABEL_ERROR])];
}

/** RBAC names only have to be usable as one URL path segment. */
export function pathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  return [...(value.includes('/') ? ["may not contain '/'"] : []), ...(value.includes('%') ? ["may not contain '%'"] : [])];
}

/** A label key or finalizer: an optional DNS subdomain prefix, '/', and a name part of at most 63 characters. */
export function qualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [`a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts[parts.length - 1];
  const errs: string[] = [];
  if (parts.length === 2) {
    if (parts[0].length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123Subdomain(parts[0]).map((m) => `prefix part ${m}`));
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLen(63)}`);
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) errs.push(QUALIFIED_NAME_ERROR);
  return errs;
}

export function labelValue(value: string): string[] {
  return [...(value.length > 63 ? [maxLen(63)] : []), ...(LABEL_VALUE.test(value) ? [] : [LABEL_VALUE_ERROR])];
}

export function configMapKey(value: string): string[] {
  const errs = [...(value.length > 253 ? [maxLen(253)] : []), ...(CONFIG_MAP_KEY.test(value) ? [] : [CONFIG_MAP_KEY_ERROR])];
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

export function portNumber(port: unknown): string[] {
  return Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535 ? [] : [PORT_RANGE_ERROR];
}

/** An IANA service name, as a named container port or targetPort must be (`http`, `metrics-2`). */
export function portName(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push(maxLen(15));
  if (!PORT_NAME_CHARS.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!HAS_LETTER.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Every message of a check as a cause on one field. */
export function invalidAll(field: string, value: unknown, messages: string[]): StatusCause[] {
  return messages.map((m) => invalidValue(field, value, m));
}

/** `Required value: <detail>`: required() from status.ts, with Kubernetes' optional detail. */
export function requiredBecause(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueRequired', message: `Required value: ${detail}`, field };
}

/** `Duplicate value: "web"`, reason FieldValueDuplicate. */
export function duplicate(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueDuplicate', message: `Duplicate value: ${JSON.stringify(value)}`, field };
}

/** `Not found: "data"`, reason FieldValueNotFound. */
export function notFoundValue(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueNotFound', message: `Not found: ${JSON.stringify(value)}`, field };
}

export const isObject = <T>(v: T): v is NonNullable<T> & object => v !== null && typeof v === 'object' && !Array.isArray(v);
/** The elements of an array field that are objects (a wrong type is the decoder's problem, not a crash here). */
export const objects = <T>(v: readonly T[] | undefined): T[] => (Array.isArray(v) ? v.filter(isObject) : []);
export const isString = (v: unknown): v is string => typeof v === 'string';
/** Equal as JSON documents (key order and undefined fields do not matter): jsonEqual. */
export const sameJson = jsonEqual;

/** `must be greater than or equal to 0` for a number field that is set and negative (or not an integer). */
export function nonNegative(field: string, value: unknown): StatusCause[] {
  if (value === undefined || value === null) return [];
  return Number.isInteger(value) && (value as number) >= 0 ? [] : [invalidValue(field, value, NON_NEGATIVE)];
}

/** ValidateImmutableField: `<field>: Invalid value: <new>: field is immutable`. */
export function immutable(field: string, next: unknown, old: unknown): StatusCause[] {
  return sameJson(next, old) ? [] : [invalidValue(field, next ?? null, IMMUTABLE)];
}
