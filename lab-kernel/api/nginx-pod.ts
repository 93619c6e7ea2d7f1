import type { Container } from './types';

/**
 * The body of the smallest pod a chapter creates: one container `app` running nginx:1.27,
 * requesting some CPU if asked to. The API server fills in the rest (kind, namespace, defaults).
 *
 *   nginxPod('p1', '400m')
 *   // => { metadata: { name: 'p1' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '400m' } } }] } }
 *   nginxPod('q1')
 *   // => { metadata: { name: 'q1' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } }
 */
export interface NginxPod {
  metadata: { name: string };
  spec: { containers: Container[] };
}

export function nginxPod(name: string, cpu?: string): NginxPod {
  return { metadata: { name }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...(cpu ? { resources: { requests: { cpu } } } : {}) }] } };
}
