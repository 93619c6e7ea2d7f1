import { qualifiedName } from './validation/rules';

/**
 * What kind of resource a name in a container's requests and limits is (pkg/apis/core/v1/helper):
 *
 *   native      no domain, or a kubernetes.io domain: cpu, memory, ephemeral-storage, hugepages-2Mi
 *   extended    any other domain-prefixed name, advertised by a node (a device plugin): nvidia.com/gpu
 *
 * Native resources other than huge pages may be overcommitted (a limit above the request); the
 * others may not: their request must equal their limit.
 *
 *   isExtendedResourceName('nvidia.com/gpu')     // => true
 *   isExtendedResourceName('cpu')                // => false
 *   isOvercommitAllowed('memory')                // => true
 *   isOvercommitAllowed('hugepages-2Mi')         // => false
 *   isOvercommitAllowed('nvidia.com/gpu')        // => false
 */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** Not native, not a quota's `requests.` name, and `requests.<name>` is a qualified name. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return qualifiedName(`requests.${name}`).length === 0;
}

export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !name.startsWith('hugepages-');
}
