import type { Ingress } from '../api/types';

/**
 * Which Ingresses an ingress-nginx controller serves (store.go GetIngressClass, v1.11.3): one
 * whose spec.ingressClassName names its IngressClass, else one annotated
 * `kubernetes.io/ingress.class` with its --ingress-class, else, with
 * --watch-ingress-without-class, one that names no class at all.
 *
 *   servesIngress({ spec: { ingressClassName: 'nginx' } }, NGINX_CLASS)      // => true
 *   servesIngress({ spec: { ingressClassName: 'traefik' } }, NGINX_CLASS)    // => false
 *   servesIngress({ spec: {} }, NGINX_CLASS)                                 // => false
 *   servesIngress({ spec: {} }, { ...NGINX_CLASS, watchWithoutClass: true })  // => true
 *
 * Simplified: the lab's API server does not serve IngressClass (lab-kernel/api/resources.ts),
 * so the class is known by name only: `nginx`, the IngressClass (controller
 * k8s.io/ingress-nginx) that ingress-nginx's manifest creates. For the same reason no class can
 * be marked ingressclass.kubernetes.io/is-default-class, and the DefaultIngressClass admission
 * plugin has nothing to fill spec.ingressClassName from; the add-on's Deployment passes
 * --watch-ingress-without-class=true instead, ingress-nginx's own way to take class-less
 * Ingresses (ingress-nginx-addon.ts).
 */
export interface IngressClassConfig {
  /** --ingress-class: the IngressClass name (and the legacy annotation's value) served. */
  ingressClass: string;
  /** --watch-ingress-without-class. */
  watchWithoutClass: boolean;
}

/** The baremetal manifest's flags: --ingress-class=nginx, no --watch-ingress-without-class. */
export const NGINX_CLASS: IngressClassConfig = { ingressClass: 'nginx', watchWithoutClass: false };

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export function servesIngress(ing: Readonly<Pick<Ingress, 'metadata' | 'spec'>>, config: IngressClassConfig): boolean {
  if (ing.spec.ingressClassName !== undefined) return ing.spec.ingressClassName === config.ingressClass;
  const annotation = ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (annotation !== undefined) return annotation === config.ingressClass;
  return config.watchWithoutClass;
}
