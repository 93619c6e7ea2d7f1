import { describeAdmission, type AdmissionPhase, type AdmissionResult, type AdmissionStep } from './admission/chain';
import { LineMemo } from '../sim/line-memo';
import type { AuthorizationResult, UserInfo } from './pipeline-types';

/** How many distinct admission outcomes per phase are kept (kinds times operations, in practice). */
const ADMISSION_LINES = 16;

/**
 * The trace lines of the request pipeline's stages that every request writes, each made once
 * per distinct outcome: the same components say who they are, that they were allowed, and
 * what admission did, thousands of times.
 *
 *   lines.authenticated({ username: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'] }, 'x509')
 *   // => 'authentication: user "system:node:node-1" (groups system:nodes, system:authenticated) by x509'
 *   lines.allowed('RBAC', { decision: 'Allow', reason: 'RBAC: allowed by ...' })
 *   // => 'authorization: allowed by RBAC (RBAC: allowed by ...)'
 *   lines.valid('Lease', 'node-1')   // => 'validation: Lease node-1 is valid'
 *   lines.admitted({ phase: 'mutating', outcome: 'admitted', steps: [{ plugin: 'NamespaceLifecycle', outcome: 'ok' }] })
 *   // => 'mutating admission: admission (mutating): NamespaceLifecycle ok'
 */
export class StageLines {
  private readonly users = new Map<string, { groups: readonly string[]; by: string; line: string }>();
  private readonly allowances = new WeakMap<AuthorizationResult, { authorizer: string; reason: string; line: string }>();
  private readonly admissions = new Map<AdmissionPhase, { steps: readonly AdmissionStep[]; line: string }[]>();
  private readonly validations = new LineMemo(20_000);

  authenticated(user: Readonly<UserInfo>, by: string): string {
    const known = this.users.get(user.username);
    if (known !== undefined && known.by === by && sameStrings(known.groups, user.groups)) return known.line;
    const line = `authentication: user ${JSON.stringify(user.username)} (groups ${user.groups.join(', ')}) by ${by}`;
    this.users.set(user.username, { groups: [...user.groups], by, line });
    return line;
  }

  /** An authorizer's Allow (authorizers hand the same result object to the same question). */
  allowed(authorizer: string, result: AuthorizationResult): string {
    const known = this.allowances.get(result);
    if (known !== undefined && known.authorizer === authorizer && known.reason === result.reason) return known.line;
    const line = `authorization: allowed by ${authorizer}${result.reason ? ` (${result.reason})` : ''}`;
    this.allowances.set(result, { authorizer, reason: result.reason, line });
    return line;
  }

  /** Validation that passed (a Lease is valid every 10 s, and says so). */
  valid(kind: string, name: string): string {
    return this.validations.get([kind, name], () => `validation: ${kind} ${name} is valid`);
  }

  /** A phase of admission that let the request through (a refusal carries its own message: made each time). */
  admitted(result: AdmissionResult): string {
    const phase = result.phase;
    let known = this.admissions.get(phase);
    if (known === undefined) this.admissions.set(phase, (known = []));
    const cacheable = result.steps.every((s) => s.outcome !== 'refused');
    if (cacheable) for (const k of known) if (sameSteps(k.steps, result.steps)) return k.line;
    const line = `${phase} admission: ${describeAdmission(result)}`;
    if (cacheable) {
      known.push({ steps: result.steps.map((s) => ({ plugin: s.plugin, outcome: s.outcome })), line });
      if (known.length > ADMISSION_LINES) known.shift();
    }
    return line;
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameSteps(a: readonly AdmissionStep[], b: readonly AdmissionStep[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].plugin !== b[i].plugin || a[i].outcome !== b[i].outcome) return false;
  return true;
}
