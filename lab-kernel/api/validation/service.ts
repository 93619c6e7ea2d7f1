import { forbidden, invalidValue, notSupported, required, type StatusCause } from '../status';
import type { Service, ServicePort } from '../types';
import { validateLabels } from './meta';
import { dns1123Label, dns1123Subdomain, duplicate, invalidAll, isObject, isString, objects, portName, portNumber } from './rules';

/**
 * Service validation (pkg/apis/core/validation: ValidateService, ValidateServiceUpdate).
 * (The name, a DNS-1035 label, is checked with the metadata.)
 *
 *   validateService({ spec: { ports: [{ port: 0 }] } })
 *   // => [ spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive ]
 *   validateService(withClusterIP('10.96.0.9'), oldWithClusterIP('10.96.0.5'))
 *   // => [ spec.clusterIPs[0]: Invalid value: ["10.96.0.9"]: may not change once set ]
 */
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function validateService(svc: Readonly<Service>, old?: Readonly<Service>): StatusCause[] {
  const spec = svc.spec;
  if (!isObject(spec)) return [required('spec')];
  const causes: StatusCause[] = [];
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ports = objects(spec.ports);
  if (!TYPES.includes(type)) causes.push(notSupported('spec.type', type, TYPES));
  if (type === 'ExternalName') {
    if (!isString(spec.externalName) || spec.externalName === '') causes.push(required('spec.externalName'));
    else causes.push(...invalidAll('spec.externalName', spec.externalName, dns1123Subdomain(spec.externalName)));
  } else if (ports.length === 0 && !headless) {
    causes.push(required('spec.ports'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => causes.push(...validateServicePort(p, `spec.ports[${i}]`, ports.length > 1, names)));
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort !== undefined && p.nodePort !== 0) causes.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  causes.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinities = ['ClientIP', 'None'];
  if (spec.sessionAffinity !== undefined && !affinities.includes(spec.sessionAffinity)) causes.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, affinities));
  if (old !== undefined) causes.push(...validateClusterIPUpdate(svc, old));
  return causes;
}

function validateServicePort(p: Readonly<ServicePort>, at: string, nameRequired: boolean, names: Set<string>): StatusCause[] {
  const causes: StatusCause[] = [];
  if (nameRequired && (!isString(p.name) || p.name === '')) causes.push(required(`${at}.name`));
  else if (isString(p.name) && p.name !== '') {
    causes.push(...invalidAll(`${at}.name`, p.name, dns1123Label(p.name)));
    if (names.has(p.name)) causes.push(duplicate(`${at}.name`, p.name));
    names.add(p.name);
  }
  causes.push(...invalidAll(`${at}.port`, p.port ?? 0, portNumber(p.port)));
  if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) causes.push(notSupported(`${at}.protocol`, p.protocol, PROTOCOLS));
  const target = p.targetPort;
  if (isString(target)) causes.push(...invalidAll(`${at}.targetPort`, target, portName(target)));
  else if (target !== undefined) causes.push(...invalidAll(`${at}.targetPort`, target, portNumber(target)));
  if (p.nodePort !== undefined && p.nodePort !== 0) causes.push(...invalidAll(`${at}.nodePort`, p.nodePort, portNumber(p.nodePort)));
  return causes;
}

/**
 * Once allocated, a Service's cluster IP never changes (not even to 'None'). A client that
 * leaves clusterIP out (or empty) keeps the allocated one: kube-apiserver copies it over
 * before validating. Only a different value is refused.
 */
function validateClusterIPUpdate(svc: Readonly<Service>, old: Readonly<Service>): StatusCause[] {
  const before = old.spec?.clusterIP;
  const after = svc.spec.clusterIP;
  if (!isString(before) || before === '' || after === undefined || after === '' || after === before) return [];
  if (old.spec.type === 'ExternalName' || svc.spec.type === 'ExternalName') return [];
  return [invalidValue('spec.clusterIPs[0]', svc.spec.clusterIPs ?? [after], 'may not change once set')];
}
