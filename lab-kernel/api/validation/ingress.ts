import { invalidValue, notSupported, required, type StatusCause } from '../status';
import type { Ingress, IngressBackend } from '../types';
import { dns1123Subdomain, invalidAll, isObject, isString, objects, requiredBecause } from './rules';

/**
 * Ingress validation (pkg/apis/networking/validation): rules or a default backend, hosts
 * that are DNS names, and each path with a pathType and a backend Service port.
 *
 *   validateIngress({ spec: { rules: [{ http: { paths: [{ path: '/testpath', backend }] } }] } })
 *   // => [ spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified ]
 */
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const IPV4 = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;

export function validateIngress(ing: Readonly<Ingress>): StatusCause[] {
  const spec = ing.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  const rules = objects(spec.rules);
  if (rules.length === 0 && spec.defaultBackend === undefined) {
    causes.push(invalidValue('spec', spec, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend !== undefined) causes.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (isString(rule.host) && rule.host !== '') {
      if (IPV4.test(rule.host)) causes.push(invalidValue(`${at}.host`, rule.host, 'must be a DNS name, not an IP address'));
      else if (!rule.host.startsWith('*.')) causes.push(...invalidAll(`${at}.host`, rule.host, dns1123Subdomain(rule.host)));
    }
    if (rule.http === undefined) return;
    const paths = objects(rule.http?.paths);
    if (paths.length === 0) causes.push(required(`${at}.http.paths`));
    paths.forEach((p, j) => {
      const pat = `${at}.http.paths[${j}]`;
      if (p.pathType === undefined) causes.push(requiredBecause(`${pat}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(p.pathType)) causes.push(notSupported(`${pat}.pathType`, p.pathType, PATH_TYPES));
      else if (p.pathType !== 'ImplementationSpecific' && !(isString(p.path) && p.path.startsWith('/'))) {
        causes.push(invalidValue(`${pat}.path`, p.path ?? '', 'must be an absolute path'));
      }
      causes.push(...validateBackend(p.backend, `${pat}.backend`));
    });
  });
  return causes;
}

function validateBackend(backend: Readonly<IngressBackend> | undefined, at: string): StatusCause[] {
  if (!isObject(backend) || !isObject(backend.service)) return [invalidValue(at, backend ?? null, 'resource or service backend is required')];
  const svc = backend.service;
  const causes: StatusCause[] = [];
  if (!isString(svc.name) || svc.name === '') causes.push(required(`${at}.service.name`));
  const port = isObject(svc.port) ? svc.port : {};
  if (port.name !== undefined && port.number !== undefined) causes.push(invalidValue(`${at}.service.port`, port, 'cannot set both port name & port number'));
  else if (port.name === undefined && port.number === undefined) causes.push(invalidValue(`${at}.service.port`, port, 'port name or number is required'));
  return causes;
}
