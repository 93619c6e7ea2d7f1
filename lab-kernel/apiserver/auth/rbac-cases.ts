import { answerTable } from '../../check/answer-table';
import type { RequestAttributes } from '../pipeline-types';
import type { AuthorizeRbac, RbacPolicy } from './rbac-contract';

/**
 * A few requests to put to an RBAC authorizer, with chapter 03's policy (jane's Role pod-reader
 * in `dev`, the group developers bound to `edit` in `dev`, and the bootstrap policy), next to what
 * the reference answers: the table at the end of chapter 03. An authorizer that throws, or is not
 * loaded, says so in its row.
 *
 *   compareRbac(reference, yours, policy)
 *   // [{ question: 'jane: list pods -n dev',
 *   //    expected: 'Allow: RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "jane"',
 *   //    'your authorizeRbac': 'threw: not implemented yet: rbac', ok: '' }, ...]
 */
export interface RbacCase {
  question: string;
  attributes: RequestAttributes;
}

const jane = { username: 'jane', groups: ['system:authenticated'] };
const sam = { username: 'sam', groups: ['developers', 'system:authenticated'] };
const scheduler = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
const request = (user: RequestAttributes['user'], verb: string, resource: string, namespace: string, more: Partial<RequestAttributes> = {}): RequestAttributes => ({
  user,
  verb,
  resourceRequest: true,
  apiGroup: '',
  resource,
  subresource: '',
  namespace,
  name: '',
  path: '',
  ...more,
});

export const RBAC_CASES: readonly RbacCase[] = [
  { question: 'jane: list pods -n dev', attributes: request(jane, 'list', 'pods', 'dev') },
  { question: 'jane: list pods -n default', attributes: request(jane, 'list', 'pods', 'default') },
  { question: 'sam: create configmaps -n dev', attributes: request(sam, 'create', 'configmaps', 'dev') },
  { question: 'sam: list nodes', attributes: request(sam, 'list', 'nodes', '') },
  { question: 'scheduler: create pods/binding', attributes: request(scheduler, 'create', 'pods', 'default', { subresource: 'binding', name: 'web-1' }) },
];

/** 'Allow: RBAC: allowed by ...' or 'NoOpinion'. */
function describeDecision(r: ReturnType<AuthorizeRbac>): string {
  return `${r.decision}${r.reason ? ': ' + r.reason : ''}`;
}

export function compareRbac(reference: AuthorizeRbac, yours: AuthorizeRbac | undefined, policy: RbacPolicy, cases: readonly RbacCase[] = RBAC_CASES) {
  return answerTable(
    cases.map((c) => (Object.assign({}, c, { what: c.question }))),
    {
      reference: (c) => reference(c.attributes, policy),
      yours: yours && ((c) => yours(c.attributes, policy)),
      describe: describeDecision,
      column: 'your authorizeRbac',
      caseColumn: 'question',
    },
  );
}
