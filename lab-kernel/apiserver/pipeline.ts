import { apiVersionOf, type ResourceInfo } from '../api/resources';
import type { ApiRequest, Credentials } from '../api/request';
import { badRequest, internalError, invalid, requestEntityTooLarge, StatusError } from '../api/status';
import { jsonCloneSized } from '../api/json-clone';
import type { KubeObject } from '../api/types';
import { decodeError } from '../api/validation';
import type { Simulation } from '../sim/simulation';
import { dataOf } from '../sim/trace';
import { runAdmission, type AdmissionPhase } from './admission/chain';
import { forbiddenByAuthorization } from './auth/forbidden';
import { API_SERVER } from './identity';
import { StageLines } from './stage-lines';
import type { AdmissionContext, AdmissionOperation, AdmissionPlugin, AdmissionRequest, AuthorizationResult, Authorizer, RequestAttributes, UserInfo } from './pipeline-types';
import type { ResourceStrategy } from './strategies/strategy';
import type { ServiceRangeOptions } from './allocation/service-allocators';

/**
 * The request pipeline: the stages every request passes, in kube-apiserver's order, each
 * traced as an action of kube-apiserver tagged with its stage. It knows no kind: what differs
 * by kind (which fields a client may set, how an object is validated) comes from the kind's
 * strategy (strategies/).
 *
 *   authentication   who is asking? (client certificate, bearer token, service account, anonymous)  => else 401
 *   authorization    may they? (RBAC)                                                                  => else 403
 *   decoding         a body of at most 3 MiB, of the kind the URL names                                => else 413 / 400
 *   mutating admission, defaulting, validation, validating admission                                  => else 403 / 422
 *
 *   pipeline.authenticate(req)   // trace: authentication: user "kubernetes-admin" (groups system:masters, ...) by x509
 *   // => { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }
 *
 * Storage, the last stage, is the verbs' (handlers/).
 */

/** kube-apiserver's limit on a request body (3 MiB); bigger bodies get 413. */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Who made a request, or the 401 that says no authenticator accepted it. */
export type Authenticate = (credentials: Credentials | undefined) => { user: UserInfo; by: string } | StatusError;

/**
 * The stages the API server runs. Left out, each is open: everyone is system:anonymous and
 * may do anything (kube-apiserver's AlwaysAllow), and no admission plugin runs — the walking
 * skeleton's cluster, and unit tests of later stages.
 */
export interface ApiServerOptions extends ServiceRangeOptions {
  authenticate?: Authenticate;
  /** Asked in order; the first Allow or Deny decides, and if all have no opinion the request is forbidden. */
  authorizers?: readonly Authorizer[];
  /** The admission plugins, read on every request (so a chain can be changed while running). */
  admission?: () => readonly AdmissionPlugin[];
}

const ANONYMOUS: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const UNKNOWN_FORMAT = 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml';

export class RequestPipeline {
  /** The trace lines of the stages every request passes, made once per distinct outcome. */
  private readonly lines = new StageLines();
  /** The last body checkShape() copied, which decode() takes instead of copying it again. */
  private arrived: { req: ApiRequest; body: unknown; copy: unknown } | undefined;

  constructor(
    private readonly sim: Simulation,
    private readonly options: ApiServerOptions,
    /** What admission plugins read: the API server's own cache. */
    private readonly cache: AdmissionContext,
  ) {}

  /** Stage 1: who is asking. With no authenticator configured, everyone is anonymous. */
  authenticate(req: ApiRequest): UserInfo {
    if (this.options.authenticate === undefined) return ANONYMOUS;
    const result = this.options.authenticate(req.credentials);
    if (result instanceof StatusError) {
      this.stage('authentication', `rejected: ${result.message}`);
      throw result;
    }
    this.line('authentication', this.lines.authenticated(result.user, result.by));
    return result.user;
  }

  /**
   * Stage 2: may they? Each authorizer in turn may allow, deny or have no opinion; the first
   * that decides wins (kube-apiserver's union authorizer). Nobody allowing means 403.
   */
  authorize(user: UserInfo, info: ResourceInfo, req: ApiRequest): void {
    const authorizers = this.options.authorizers;
    if (authorizers === undefined || authorizers.length === 0) return;
    const attributes = requestAttributes(user, info, req);
    const reasons: string[] = [];
    for (const authorizer of authorizers) {
      let result: AuthorizationResult;
      try {
        result = authorizer.authorize(attributes);
      } catch (err) {
        // kube-apiserver answers an authorizer's failure with 500, never with a guess.
        const failure = internalError(`authorizer ${JSON.stringify(authorizer.name)} failed: ${(err as Error).message ?? String(err)}`);
        this.stage('authorization', failure.message);
        throw failure;
      }
      if (result.decision === 'Allow') {
        this.line('authorization', this.lines.allowed(authorizer.name, result));
        return;
      }
      if (result.reason) reasons.push(result.reason);
      if (result.decision === 'Deny') break;
    }
    const refusal = forbiddenByAuthorization(attributes, reasons.join(', '));
    this.stage('authorization', refusal.message);
    throw refusal;
  }

  /** What any request must be before a verb sees it: namespaced when the kind is, and not too big. */
  checkShape(strategy: ResourceStrategy, req: ApiRequest): void {
    if (strategy.namespaced && req.verb !== 'list' && req.verb !== 'deletecollection' && !req.namespace) {
      throw badRequest('namespace is required for a namespaced resource');
    }
    if (req.body === undefined) return;
    // The body as it arrives over the wire (a copy as JSON carries it), kept for decode(), which
    // comes next. Its size is only written out as JSON when the copy's bound could be over the limit.
    const arrived = arrivedBody(req.body);
    this.arrived = { req, body: req.body, copy: arrived?.copy };
    if (arrived !== undefined && arrived.atMostBytes > MAX_REQUEST_BODY_BYTES && Buffer.byteLength(JSON.stringify(req.body)) > MAX_REQUEST_BODY_BYTES) {
      throw requestEntityTooLarge(MAX_REQUEST_BODY_BYTES);
    }
  }

  /** Decoding: the body as an object of the kind the URL names, or 400. */
  decode(info: ResourceInfo, req: ApiRequest): KubeObject {
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw badRequest(UNKNOWN_FORMAT);
    }
    // The object as it arrives over the wire: a copy of the client's, as JSON carries it.
    const kept = this.arrived;
    this.arrived = undefined;
    const copy = kept !== undefined && kept.req === req && kept.body === body ? kept.copy : arrivedBody(body)?.copy;
    if (copy === undefined) throw badRequest(UNKNOWN_FORMAT);
    const obj = copy as KubeObject;
    if (obj.kind !== undefined && obj.kind !== info.kind) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(info)}) or kind ${JSON.stringify(obj.kind)} is not ${JSON.stringify(info.kind)}`);
    }
    obj.kind = info.kind;
    obj.apiVersion = apiVersionOf(info);
    if (obj.metadata === null || typeof obj.metadata !== 'object') obj.metadata = {};
    // What the decoder refuses before any validation (a string where a number goes, a
    // Secret value that is not base64): 400, as kube-apiserver cannot even read the body.
    const problem = decodeError(info, obj as unknown as Record<string, unknown>);
    if (problem !== undefined) throw badRequest(problem);
    return obj;
  }

  /** What admission plugins are shown of a write. */
  admissionRequest(operation: AdmissionOperation, info: ResourceInfo, req: ApiRequest, user: UserInfo, object: KubeObject | undefined, oldObject: KubeObject | undefined): AdmissionRequest {
    return {
      operation,
      info,
      subresource: req.subresource ?? '',
      namespace: req.namespace ?? '',
      name: object?.metadata.name ?? req.name ?? '',
      object,
      oldObject,
      user,
      dryRun: req.dryRun === true,
    };
  }

  /**
   * Runs one phase of admission (admission/chain.ts): mutating plugins may change
   * `req.object`; the first refusal ends the request with the plugin's Status. A plugin that
   * throws (code under construction) is a 500 naming it, never a crash.
   */
  admit(phase: AdmissionPhase, req: AdmissionRequest): void {
    const plugins = this.options.admission?.() ?? [];
    const result = runAdmission(plugins, req, this.cache, phase);
    if (plugins.length > 0) this.line(`${phase} admission`, this.lines.admitted(result));
    if (result.error !== undefined) throw result.error;
  }

  /** Validation (the kind's own rules, from its strategy), between the two admission phases. */
  validate(strategy: ResourceStrategy, obj: KubeObject, old?: KubeObject): void {
    const info = strategy.info;
    const causes = old === undefined ? strategy.validate(obj) : strategy.validateUpdate(obj, old);
    if (causes.length > 0) {
      this.stage('validation', `${causes.length} invalid field${causes.length === 1 ? '' : 's'}`);
      throw invalid(info, obj.metadata.name ?? '', causes);
    }
    this.line('validation', this.lines.valid(info.kind, obj.metadata.name ?? ''));
  }

  /** A line of the trace for one stage of one request. */
  private stage(stage: string, summary: string): void {
    this.line(stage, `${stage}: ${summary}`);
  }

  /** The trace line of a stage, already made ('<stage>: <summary>'). */
  private line(stage: string, line: string): void {
    this.sim.trace.action(this.sim.now(), API_SERVER, line, dataOf('stage', stage));
  }
}

/**
 * What authorization decides on, from the request (kube-apiserver's RequestInfo):
 *   GET /api/v1/namespaces/dev/pods            => verb list, resource pods, namespace dev
 *   GET /api/v1/namespaces/dev/pods?watch=1    => verb watch
 *   POST .../pods/web/binding                  => verb create, subresource binding, name web
 */
export function requestAttributes(user: UserInfo, info: ResourceInfo, req: ApiRequest): RequestAttributes {
  return {
    user,
    verb: req.verb,
    resourceRequest: true,
    apiGroup: info.group,
    resource: info.resource,
    subresource: req.subresource ?? '',
    namespace: req.namespace ?? '',
    name: req.name ?? '',
    path: '',
  };
}

/** A request body as it arrives (jsonClone) and a bound on its size, or undefined when it is not JSON at all (a cycle, a BigInt). */
function arrivedBody(body: unknown): { copy: unknown; atMostBytes: number } | undefined {
  try {
    return jsonCloneSized(body);
  } catch {
    return undefined;
  }
}
