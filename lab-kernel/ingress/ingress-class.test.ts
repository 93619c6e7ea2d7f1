import { describe, expect, it } from 'vitest';
import { NGINX_CLASS, servesIngress } from './ingress-class';

const ing = (spec: { ingressClassName?: string }, annotations?: Record<string, string>) => ({ metadata: { name: 'i', annotations }, spec });

describe('the Ingresses ingress-nginx serves', () => {
  it('serves an Ingress of class nginx and ignores one of another class', () => {
    expect(servesIngress(ing({ ingressClassName: 'nginx' }), NGINX_CLASS)).toBe(true);
    expect(servesIngress(ing({ ingressClassName: 'traefik' }), NGINX_CLASS)).toBe(false);
  });

  it('goes by ingressClassName before the legacy kubernetes.io/ingress.class annotation', () => {
    expect(servesIngress(ing({}, { 'kubernetes.io/ingress.class': 'nginx' }), NGINX_CLASS)).toBe(true);
    expect(servesIngress(ing({ ingressClassName: 'traefik' }, { 'kubernetes.io/ingress.class': 'nginx' }), NGINX_CLASS)).toBe(false);
  });

  it('ignores a class-less Ingress unless run with --watch-ingress-without-class', () => {
    expect(servesIngress(ing({}), NGINX_CLASS)).toBe(false);
    expect(servesIngress(ing({}), { ...NGINX_CLASS, watchWithoutClass: true })).toBe(true);
  });
});
