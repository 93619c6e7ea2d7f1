import { describe, expect, it } from 'vitest';
import { forbiddenRequest } from '../api/status';
import type { AdmissionResult } from './admission/chain';
import { StageLines } from './stage-lines';

describe('StageLines (the pipeline trace lines every request writes)', () => {
  it('does it say who authenticated, and notice when the same user comes with other groups or by another authenticator?', () => {
    const lines = new StageLines();
    const node = { username: 'system:node:node-1', groups: ['system:nodes', 'system:authenticated'] };
    expect(lines.authenticated(node, 'x509')).toBe('authentication: user "system:node:node-1" (groups system:nodes, system:authenticated) by x509');
    expect(lines.authenticated({ ...node, groups: [...node.groups] }, 'x509')).toBe('authentication: user "system:node:node-1" (groups system:nodes, system:authenticated) by x509');
    expect(lines.authenticated({ ...node, groups: ['system:authenticated'] }, 'x509')).toBe('authentication: user "system:node:node-1" (groups system:authenticated) by x509');
    expect(lines.authenticated(node, 'token-file')).toBe('authentication: user "system:node:node-1" (groups system:nodes, system:authenticated) by token-file');
  });

  it('does an Allow name its authorizer and reason, even when a result object is reused with another reason?', () => {
    const lines = new StageLines();
    const result = { decision: 'Allow' as const, reason: 'RBAC: allowed by ClusterRoleBinding "x"' };
    expect(lines.allowed('RBAC', result)).toBe('authorization: allowed by RBAC (RBAC: allowed by ClusterRoleBinding "x")');
    expect(lines.allowed('Node', result)).toBe('authorization: allowed by Node (RBAC: allowed by ClusterRoleBinding "x")');
    result.reason = '';
    expect(lines.allowed('Node', result)).toBe('authorization: allowed by Node');
  });

  it('does each admission outcome get its own line, and a refusal its message every time?', () => {
    const lines = new StageLines();
    const admitted = (outcome: 'ok' | 'mutated'): AdmissionResult => ({ phase: 'mutating', outcome: 'admitted', steps: [{ plugin: 'NamespaceLifecycle', outcome: 'ok' }, { plugin: 'ServiceAccount', outcome }] });
    expect(lines.admitted(admitted('ok'))).toBe('mutating admission: admission (mutating): NamespaceLifecycle ok, ServiceAccount ok');
    expect(lines.admitted(admitted('mutated'))).toBe('mutating admission: admission (mutating): NamespaceLifecycle ok, ServiceAccount mutated');
    expect(lines.admitted(admitted('ok'))).toBe('mutating admission: admission (mutating): NamespaceLifecycle ok, ServiceAccount ok');
    expect(lines.admitted({ phase: 'validating', outcome: 'admitted', steps: [] })).toBe('validating admission: admission (validating): no plugin applies');
    const refusal = (message: string): AdmissionResult => {
      const error = forbiddenRequest({ group: '', resource: 'pods', name: 'web' }, message);
      return { phase: 'validating', outcome: 'refused', steps: [{ plugin: 'ResourceQuota', outcome: 'refused', error }], error };
    };
    expect(lines.admitted(refusal('exceeded quota: a'))).toBe('validating admission: admission (validating): ResourceQuota refused: pods "web" is forbidden: exceeded quota: a');
    expect(lines.admitted(refusal('exceeded quota: b'))).toBe('validating admission: admission (validating): ResourceQuota refused: pods "web" is forbidden: exceeded quota: b');
  });

  it('does a passed validation name the kind and the object?', () => {
    const lines = new StageLines();
    expect(lines.valid('Lease', 'node-1')).toBe('validation: Lease node-1 is valid');
    expect(lines.valid('Lease', 'node-2')).toBe('validation: Lease node-2 is valid');
    expect(lines.valid('Pod', 'node-1')).toBe('validation: Pod node-1 is valid');
  });
});
