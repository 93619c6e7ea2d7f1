import { forbidden, invalidValue, notSupported, required, type StatusCause } from '../status';
import type { Service, ServicePort, ServiceSpec } from '../types';
import { goStringSlice } from './go-syntax';
import { validateLabels } from './meta';
import { dns1123Label, dns1123Subdomain, duplicate, invalidAll, isObject, isString, objects, portName, portNumber } from './rules';

/**
 * Service validation (pkg/apis/core/validation: ValidateService, ValidateServiceUpdate).
 * (The name, a DNS-1035 label, is checked with the metadata.)
 *
 *   validateService({ spec: { ports: [{ port: 0 }] } })
 *   // => [ spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive ]
 *   validateService(withClusterIP('10.96.0.9'), oldWithClusterIP('10.96.0.5'))
 *   // => [ spec.clusterIPs[0]: Invalid value: []string{"10.96.0.9"}: may not change once set ]
 *   validateService(withClusterIP('10.96.0'))
 *   // => [ spec.clusterIPs[0]: Invalid value: "10.96.0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff) ]
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
  causes.push(...validateClusterIPs(spec));
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
 * The cluster IP fields on their own (validateServiceClusterIPsRelatedFields, the part the lab
 * keeps): each of clusterIPs an IP address ('None' only as the first and only one), and the
 * first one the same as clusterIP. A client may send clusterIP alone: the API server copies it
 * into clusterIPs before it validates (strategies/service.ts), and so does this check.
 *
 *   validateClusterIPs({ clusterIP: '10.96.0.10' })                              // => []
 *   validateClusterIPs({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.11'] })  // => [ spec.clusterIPs: ... first value must match `clusterIP` ]
 */
export function validateClusterIPs(spec: Readonly<ServiceSpec>): StatusCause[] {
  if (spec.type === 'ExternalName') return [];
  const causes: StatusCause[] = [];
  const ips = clusterIPsOf(spec);
  if (isString(spec.clusterIP) && spec.clusterIP !== '' && ips[0] !== spec.clusterIP) causes.push(invalidValue('spec.clusterIPs', goStringSlice(ips), 'first value must match `clusterIP`'));
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) causes.push(invalidValue('spec.clusterIPs', goStringSlice(ips), "'None' must be the first and only value"));
    } else if (!isIPAddress(ip)) {
      causes.push(invalidValue(`spec.clusterIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    }
  });
  return causes;
}

/** clusterIPs as sent, or clusterIP alone as its first (normalizeClusterIPs). */
function clusterIPsOf(spec: Readonly<ServiceSpec>): string[] {
  if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) return spec.clusterIPs.map(String);
  return isString(spec.clusterIP) && spec.clusterIP !== '' ? [spec.clusterIP] : [];
}

/** An IPv4 address in dotted form, or something shaped like an IPv6 one (the lab serves no IPv6 range: allocation refuses those). */
function isIPAddress(ip: string): boolean {
  const v4 = ip.split('.');
  if (v4.length === 4) return v4.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip);
}

/**
 * Once allocated, a Service's cluster IP never changes (not even to 'None'), unless the
 * Service becomes or stops being an ExternalName (validateUpgradeDowngradeClusterIPs). A
 * client that leaves clusterIP out keeps the allocated one: the API server copies it over
 * before validating (patchAllocatedValues, strategies/service.ts).
 */
function validateClusterIPUpdate(svc: Readonly<Service>, old: Readonly<Service>): StatusCause[] {
  if (old.spec?.type === 'ExternalName' || svc.spec.type === 'ExternalName') return [];
  const before = clusterIPsOf(old.spec ?? {});
  const after = clusterIPsOf(svc.spec);
  if (before.length === 0 || after.length === 0 || after[0] === before[0]) return [];
  return [invalidValue('spec.clusterIPs[0]', goStringSlice(after), 'may not change once set')];
}
