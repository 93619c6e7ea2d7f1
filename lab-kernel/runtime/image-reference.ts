/**
 * Image references as container runtimes read them (docker/distribution's reference package,
 * ParseNormalizedNamed, which both the kubelet and containerd use): a short name is completed
 * with Docker Hub's domain, the `library/` path of its official images, and the tag `latest`.
 *
 *   normalizeImage('nginx')                          => 'docker.io/library/nginx:latest'
 *   normalizeImage('nginx:1.27')                     => 'docker.io/library/nginx:1.27'
 *   normalizeImage('bitnami/redis:7.4')              => 'docker.io/bitnami/redis:7.4'
 *   normalizeImage('registry.k8s.io/pause:3.10')     => 'registry.k8s.io/pause:3.10'
 *   normalizeImage('localhost:5000/app')             => 'localhost:5000/app:latest'
 *   normalizeImage('Nginx')                          => ImageReferenceError 'invalid reference format: repository name (library/Nginx) must be lowercase'
 *
 * The first path component is a registry domain when it holds a "." or a ":" or is
 * "localhost"; otherwise the whole name is a Docker Hub repository. A digest (`@sha256:...`)
 * is kept as it is, and then no tag is added.
 */
export class ImageReferenceError extends Error {}

const DEFAULT_DOMAIN = 'docker.io';
const OFFICIAL_PATH = 'library';
const DEFAULT_TAG = 'latest';

// A path component: lowercase letters and digits, joined by ".", "_", "__" or runs of "-".
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

export interface ImageReference {
  /** 'docker.io', 'registry.k8s.io', 'localhost:5000' */
  domain: string;
  /** 'library/nginx', 'pause' */
  path: string;
  tag?: string;
  digest?: string;
}

export function parseImage(reference: string): ImageReference {
  const invalid = (why = '') => new ImageReferenceError(`invalid reference format${why}`);
  if (reference === '' || reference !== reference.trim()) throw invalid();
  const at = reference.indexOf('@');
  const named = at < 0 ? reference : reference.slice(0, at);
  const digest = at < 0 ? undefined : reference.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) throw invalid();
  const slash = named.indexOf('/');
  const first = slash < 0 ? '' : named.slice(0, slash);
  const hasDomain = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const domain = hasDomain ? first : DEFAULT_DOMAIN;
  let remainder = hasDomain ? named.slice(slash + 1) : named;
  let tag: string | undefined;
  const colon = remainder.lastIndexOf(':');
  if (colon >= 0) {
    tag = remainder.slice(colon + 1);
    remainder = remainder.slice(0, colon);
    if (!TAG.test(tag)) throw invalid();
  }
  const path = domain === DEFAULT_DOMAIN && !remainder.includes('/') ? `${OFFICIAL_PATH}/${remainder}` : remainder;
  if (path !== path.toLowerCase()) throw invalid(`: repository name (${path}) must be lowercase`);
  if (!path.split('/').every((c) => COMPONENT.test(c))) throw invalid();
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The reference in full, with `latest` added when it names neither a tag nor a digest (the kubelet's applyDefaultImageTag). */
export function normalizeImage(reference: string): string {
  const { domain, path, tag, digest } = parseImage(reference);
  const name = `${domain}/${path}`;
  if (digest !== undefined) return tag === undefined ? `${name}@${digest}` : `${name}:${tag}@${digest}`;
  return `${name}:${tag ?? DEFAULT_TAG}`;
}
