import type { ResourceInfo } from '../../api/resources';
import type { StatusCause } from '../../api/status';
import type { KubeObject } from '../../api/types';
import type { FinishWrite, ServiceAllocators } from '../allocation/service-allocators';
import type { DeleteStrategy } from '../deletion';
import type { Steps } from '../steps';
import type { StorageCalls } from '../storage-calls';

/** What a kind's write hooks (beginCreate, beginUpdate, afterDelete) may use of the API server. */
export interface HookContext {
  readonly serviceAllocators: ServiceAllocators;
  readonly etcd: StorageCalls;
}

/**
 * What the API server does differently for each kind, in one place per kind, as
 * kube-apiserver's registry strategies (k8s.io/apiserver/pkg/registry/rest: RESTCreateStrategy,
 * RESTUpdateStrategy, RESTDeleteStrategy). The pipeline and the verbs ask the strategy and
 * never name a kind:
 *
 *   strategyFor(resourceFor('Pod')).prepareForCreate(pod)    // => pod.status dropped: a new pod is Pending
 *   strategyFor(resourceFor('Node')).prepareForCreate(node)  // => status kept: a kubelet registers with it
 *
 * Most kinds use the default (default.ts); a kind that differs has its own small module
 * beside it (pod.ts, node.ts, ...) and an entry in registry.ts.
 */
export interface ResourceStrategy extends DeleteStrategy {
  readonly info: ResourceInfo;
  /** Whether its objects live in a namespace (NamespaceScoped). */
  readonly namespaced: boolean;
  /** The fields a field selector may name (its GetAttrs): `metadata.name`, `spec.nodeName`, ... */
  readonly selectableFields: readonly string[];
  /**
   * The field the watch cache indexes its watchers by (kube-apiserver's cacher trigger:
   * pods by spec.nodeName), so a change reaches only the watchers that can match it; undefined: none.
   */
  readonly watchTrigger: string | undefined;
  /**
   * PrepareForCreate, after mutating admission and before validation: clears what a client may
   * not set on a new object, sets metadata.generation where the kind keeps one, and fields made
   * from the uid the server has just given it (a Job's selector).
   */
  prepareForCreate(obj: KubeObject): void;
  /** PrepareForUpdate, on the main endpoint: what is kept from the stored object, and the generation where the kind keeps one. */
  prepareForUpdate(next: KubeObject, old: Readonly<KubeObject>): void;
  /** Validate: the rules a new object must follow. */
  validate(obj: Readonly<KubeObject>): StatusCause[];
  /** ValidateUpdate: the rules a changed object must follow, immutable fields among them. */
  validateUpdate(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): StatusCause[];
  /** How long a stored object lives, in seconds, renewed on every write (an etcd lease); undefined: until deleted. */
  readonly ttlSeconds: number | undefined;
  /**
   * BeginCreate, before PrepareForCreate and validation: takes what the API server hands out
   * with the object (a Service's cluster IP and node ports) and answers how to settle once the
   * write is known, kept or given back; undefined: nothing to hand out.
   */
  readonly beginCreate: ((server: HookContext, obj: KubeObject, dryRun: boolean) => FinishWrite) | undefined;
  /** BeginUpdate, on the main endpoint after the resourceVersion check: the same for an update. */
  readonly beginUpdate: ((server: HookContext, next: KubeObject, old: Readonly<KubeObject>, dryRun: boolean) => FinishWrite) | undefined;
  /** AfterDelete, once the object is gone from etcd: what goes with it (a Service's IP, its Endpoints); undefined: nothing. */
  readonly afterDelete: ((server: HookContext, obj: Readonly<KubeObject>) => Steps<void>) | undefined;
  /** POST <name>/binding (subresources/binding.ts): the stored object bound to `target`; undefined: no such subresource. */
  readonly bind: ((obj: KubeObject, target: string, nowMs: number) => void) | undefined;
  /**
   * PUT <name>/status (subresources/status.ts): the next version, from the stored one and the
   * body; undefined: the status and nothing else (most kinds in the lab).
   */
  readonly statusUpdate: ((old: Readonly<KubeObject>, body: KubeObject) => KubeObject) | undefined;
  /** PUT <name>/finalize (subresources/finalize.ts): the next version, from the stored one and the body; undefined: not allowed. */
  readonly finalize: ((old: Readonly<KubeObject>, body: KubeObject) => KubeObject) | undefined;
}
