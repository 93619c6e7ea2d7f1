import { jsonClone } from '../../api/json-clone';
import { jsonEqual } from '../../api/json-equal';
import { objectKey, resourceFor } from '../../api/resources';
import { forbiddenRequest, internalError, StatusError } from '../../api/status';
import type { KubeObject } from '../../api/types';
import type { AdmissionContext, AdmissionOperation, AdmissionPlugin, AdmissionRequest, UserInfo } from '../pipeline-types';

/**
 * The admission chain: the plugins every write passes after authorization, in kube-apiserver's
 * fixed order. The API server runs the chain twice:
 *
 *   mutating phase   (before validation)  each plugin's mutate() may change the object
 *   validating phase (after validation)   each plugin's validate() may only accept or refuse
 *
 * and each phase stops at the first refusal, which becomes the request's answer:
 *
 *   const result = runAdmission(chain.plugins(), req, ctx, 'mutating');
 *   describeAdmission(result)
 *   // => 'admission (mutating): NamespaceLifecycle ok, LimitRanger mutated, ServiceAccount mutated, DefaultTolerationSeconds mutated'
 *   result.outcome  // => 'admitted', or 'refused' with result.error the StatusError to send back
 */

/** Every plugin the lab implements, in kube-apiserver's order (AllOrderedPlugins in pkg/kubeapiserver/options/plugins.go). */
export const ADMISSION_PLUGIN_ORDER: readonly string[] = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'AlwaysPullImages',
  'Priority',
  'DefaultTolerationSeconds',
  'ResourceQuota',
];

/**
 * The plugins kube-apiserver enables when --enable-admission-plugins names none, in order.
 * AlwaysPullImages is off by default (DefaultOffAdmissionPlugins): a cluster admin turns it on.
 */
export const DEFAULT_ADMISSION_ORDER: readonly string[] = ['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'Priority', 'DefaultTolerationSeconds', 'ResourceQuota'];

/**
 * Where a plugin the lab does not know goes by default: kube-apiserver keeps ResourceQuota
 * (and the webhooks) at the end of the chain, so new plugins are inserted before it.
 */
const LAST_PLUGIN = 'ResourceQuota';

export type AdmissionPhase = 'mutating' | 'validating';

/** What one plugin did: let the request on untouched, changed the object, or refused it. */
export interface AdmissionStep {
  plugin: string;
  outcome: 'ok' | 'mutated' | 'refused';
  error?: StatusError;
}

export interface AdmissionResult {
  phase: AdmissionPhase;
  outcome: 'admitted' | 'refused';
  /** The plugins that ran, in order; the last one refused if outcome is 'refused'. */
  steps: AdmissionStep[];
  /** The refusal to answer with. */
  error?: StatusError;
}

/**
 * Runs one phase of admission over `plugins`, in order, skipping plugins that have no method for
 * the phase or do not handle the request's operation. Stops at the first refusal.
 *
 * A plugin that throws, or returns something that is not a StatusError, does not crash the API
 * server: the request fails with a 500 naming the plugin, as a failing webhook does.
 *
 *   runAdmission([namespaceLifecyclePlugin()], createPodIn('ghost'), ctx, 'mutating')
 *   // => { outcome: 'refused', steps: [{ plugin: 'NamespaceLifecycle', outcome: 'refused', error }], error }
 *   //    error.status.message === 'namespaces "ghost" not found'
 */
export function runAdmission(plugins: readonly AdmissionPlugin[], req: AdmissionRequest, ctx: AdmissionContext, phase: AdmissionPhase): AdmissionResult {
  const steps: AdmissionStep[] = [];
  // A copy of the object as the last mutating plugin left it: a plugin that may mutate it did
  // if the object no longer equals the copy (compared in place; copied again only after a
  // change, and first taken before the first plugin that may change anything).
  let before: unknown;
  let copied = false;
  for (const plugin of plugins) {
    if (plugin.operations !== undefined && !plugin.operations.includes(req.operation)) continue;
    if ((phase === 'mutating' ? plugin.mutate : plugin.validate) === undefined) continue;
    const watched = phase === 'mutating' && mayMutate(plugin, req);
    if (watched && !copied) {
      before = jsonClone(req.object);
      copied = true;
    }
    const error = callPlugin(plugin.name, () => (phase === 'mutating' ? plugin.mutate!(req, ctx) : plugin.validate!(req, ctx)));
    if (error !== undefined) {
      steps.push({ plugin: plugin.name, outcome: 'refused', error });
      return { phase, outcome: 'refused', steps, error };
    }
    let mutated = false;
    if (watched && !jsonEqual(req.object, before)) {
      mutated = true;
      before = jsonClone(req.object);
    }
    steps.push({ plugin: plugin.name, outcome: mutated ? 'mutated' : 'ok' });
  }
  return { phase, outcome: 'admitted', steps };
}

/** Whether the plugin says its mutate() may change this request's object; one that cannot say (it throws) may. */
function mayMutate(plugin: AdmissionPlugin, req: Readonly<AdmissionRequest>): boolean {
  try {
    return plugin.mayMutate?.(req) !== false;
  } catch {
    return true;
  }
}

/** Calls a plugin, turning a throw or a malformed answer into a 500 that names the plugin. */
function callPlugin(name: string, call: () => unknown): StatusError | undefined {
  let answer: unknown;
  try {
    answer = call();
  } catch (err) {
    return internalError(`admission plugin "${name}" failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (answer === undefined || answer === null) return undefined;
  if (answer instanceof StatusError) return answer;
  return internalError(`admission plugin "${name}" returned ${JSON.stringify(answer)} instead of a StatusError or undefined`);
}

/**
 * One line for the trace:
 *   'admission (validating): NamespaceLifecycle ok, ServiceAccount refused: pods "web" is forbidden: ...'
 */
export function describeAdmission(result: AdmissionResult): string {
  const steps = result.steps.map((s) => (s.outcome === 'refused' ? `${s.plugin} refused: ${s.error?.message}` : `${s.plugin} ${s.outcome}`));
  return `admission (${result.phase}): ${steps.length === 0 ? 'no plugin applies' : steps.join(', ')}`;
}

/**
 * admission.NewForbidden: a 403 naming the object being admitted. A create has no name yet when
 * the object asks for a generated one, so the message names its generateName prefix instead:
 *
 *   forbiddenByAdmission(createPod({ generateName: 'web-' }), 'exceeded quota: ...')
 *   // => 403 'pods "web-" is forbidden: exceeded quota: ...'
 */
export function forbiddenByAdmission(req: Readonly<AdmissionRequest>, reason: string): StatusError {
  const meta = req.object?.metadata;
  const name = req.name || meta?.name || meta?.generateName || 'Unknown';
  return forbiddenRequest({ group: req.info.group, resource: req.info.resource, name }, reason);
}

/**
 * The admission plugins of one API server, in order, each enabled or not, as
 * --enable-admission-plugins / --disable-admission-plugins configure kube-apiserver. A notebook
 * can register its own plugin, or swap a built-in one for its own version (same name):
 *
 *   const chain = new AdmissionChain([namespaceLifecyclePlugin(), serviceAccountPlugin(), alwaysPullImagesPlugin()]);
 *   chain.names()                       // => ['NamespaceLifecycle', 'ServiceAccount']   (AlwaysPullImages is off by default)
 *   chain.enable('AlwaysPullImages');   // => ['NamespaceLifecycle', 'ServiceAccount', 'AlwaysPullImages']
 *   chain.register({ name: 'NoLatestTag', validate: ... }, { after: 'NamespaceLifecycle' });
 *   chain.names()                       // => ['NamespaceLifecycle', 'NoLatestTag', 'ServiceAccount', 'AlwaysPullImages']
 */
export class AdmissionChain {
  private readonly all: AdmissionPlugin[] = [];
  private readonly enabled = new Set<string>();

  /** Built-in plugins go in kube-apiserver's order; those on by default are enabled. */
  constructor(plugins: readonly AdmissionPlugin[] = []) {
    const rank = (p: AdmissionPlugin) => ADMISSION_PLUGIN_ORDER.indexOf(p.name);
    for (const plugin of plugins.filter((p) => rank(p) >= 0).sort((a, b) => rank(a) - rank(b))) {
      this.all.push(plugin);
      if (DEFAULT_ADMISSION_ORDER.includes(plugin.name)) this.enabled.add(plugin.name);
    }
    for (const plugin of plugins.filter((p) => rank(p) < 0)) this.register(plugin);
  }

  /**
   * Adds a plugin, enabled: after (or before) the named one, by default just before ResourceQuota
   * (or last). A plugin with the name of one already registered replaces it where it stands.
   */
  register(plugin: AdmissionPlugin, where: { after?: string; before?: string } = {}): void {
    const existing = this.all.findIndex((p) => p.name === plugin.name);
    if (existing >= 0 && where.after === undefined && where.before === undefined) {
      this.all[existing] = plugin;
    } else {
      if (existing >= 0) this.all.splice(existing, 1);
      this.all.splice(this.insertionIndex(where), 0, plugin);
    }
    this.enabled.add(plugin.name);
  }

  enable(name: string): void {
    this.find(name);
    this.enabled.add(name);
  }

  disable(name: string): void {
    this.find(name);
    this.enabled.delete(name);
  }

  /** The enabled plugins, in the order they run. */
  plugins(): AdmissionPlugin[] {
    return this.all.filter((p) => this.enabled.has(p.name));
  }

  names(): string[] {
    return this.plugins().map((p) => p.name);
  }

  /** Runs one phase over the enabled plugins (see runAdmission). */
  admit(req: AdmissionRequest, ctx: AdmissionContext, phase: AdmissionPhase): AdmissionResult {
    return runAdmission(this.plugins(), req, ctx, phase);
  }

  private insertionIndex(where: { after?: string; before?: string }): number {
    if (where.after !== undefined) return this.all.indexOf(this.find(where.after)) + 1;
    if (where.before !== undefined) return this.all.indexOf(this.find(where.before));
    const last = this.all.findIndex((p) => p.name === LAST_PLUGIN);
    return last >= 0 ? last : this.all.length;
  }

  private find(name: string): AdmissionPlugin {
    const plugin = this.all.find((p) => p.name === name);
    if (plugin === undefined) throw new Error(`admission plugin ${JSON.stringify(name)} is not registered; known: ${this.all.map((p) => p.name).join(', ')}`);
    return plugin;
  }
}

/**
 * An AdmissionContext over a fixed set of objects, to try plugins without an API server:
 *
 *   const ctx = fixedAdmissionContext([namespace('dev'), serviceAccount('dev', 'default')]);
 *   ctx.get('namespaces', undefined, 'dev')   // => the Namespace
 *   ctx.list('serviceaccounts', 'dev')        // => [the ServiceAccount]
 */
export function fixedAdmissionContext(objects: readonly KubeObject[], now = 0): AdmissionContext {
  const ofResource = (resource: string) => objects.filter((o) => resourceFor(o.kind).resource === resource);
  return {
    list: (resource, namespace) => ofResource(resource).filter((o) => namespace === undefined || o.metadata.namespace === namespace),
    get: (resource, namespace, name) => ofResource(resource).find((o) => objectKey(o) === (namespace ? `${namespace}/${name}` : name)),
    now: () => now,
  };
}

/**
 * The AdmissionRequest the API server builds for writing `object` (or, for DELETE, for the
 * stored `oldObject`):
 *
 *   admissionRequestFor('CREATE', pod)
 *   // => { operation: 'CREATE', info: <pods>, namespace: pod's, name: pod's, object: pod, user: system:admin, ... }
 */
export function admissionRequestFor(
  operation: AdmissionOperation,
  object: KubeObject | undefined,
  options: { oldObject?: KubeObject; subresource?: string; user?: UserInfo; dryRun?: boolean } = {},
): AdmissionRequest {
  const about = object ?? options.oldObject;
  if (about === undefined) throw new Error('admissionRequestFor needs an object or an oldObject');
  return {
    operation,
    info: resourceFor(about.kind),
    subresource: options.subresource ?? '',
    namespace: about.metadata.namespace ?? '',
    name: about.metadata.name ?? '',
    object,
    oldObject: options.oldObject,
    user: options.user ?? { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] },
    dryRun: options.dryRun ?? false,
  };
}
