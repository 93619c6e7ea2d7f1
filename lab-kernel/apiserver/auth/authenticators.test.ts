import { describe, expect, it } from 'vitest';
import { StatusError } from '../../api/status';
import type { ServiceAccount } from '../../api/types';
import {
  authenticate,
  issueServiceAccountToken,
  serviceAccountTokenAuthenticator,
  staticTokenAuthenticator,
  x509Authenticator,
  type Authenticator,
} from './authenticators';

const KEY = 'lab-signing-key';

function serviceAccount(namespace: string, name: string, uid: string, deleting = false): ServiceAccount {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { namespace, name, uid, ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:10Z' } : {}) },
  };
}

function chainWith(accounts: ServiceAccount[], clock?: () => number): Authenticator[] {
  const lookup = (ns: string, name: string) => accounts.find((a) => a.metadata.namespace === ns && a.metadata.name === name);
  return [
    x509Authenticator(),
    staticTokenAuthenticator([{ token: 'bob-token', username: 'bob', uid: '1001', groups: ['dev'] }]),
    serviceAccountTokenAuthenticator(KEY, lookup, clock),
  ];
}

const builder = serviceAccount('ci', 'builder', 'sa-uid-1');

function expect401(result: ReturnType<typeof authenticate>): void {
  expect(result).toBeInstanceOf(StatusError);
  expect((result as StatusError).status).toMatchObject({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
}

describe('authentication, as kube-apiserver authenticates a request', () => {
  it('a client certificate names the user by its CN and the groups by its Os', () => {
    const result = authenticate({ clientCertificate: { commonName: 'alice', organizations: ['dev', 'ops'] } }, chainWith([]), true);
    expect(result).toEqual({ user: { username: 'alice', groups: ['dev', 'ops', 'system:authenticated'] }, by: 'x509' });
  });

  it('a token from the token file names its user, uid and groups', () => {
    expect(authenticate({ token: 'bob-token' }, chainWith([]), true)).toEqual({
      user: { username: 'bob', uid: '1001', groups: ['dev', 'system:authenticated'] },
      by: 'token-file',
    });
  });

  it('the first authenticator that recognises the request wins (a certificate before a token)', () => {
    const result = authenticate({ clientCertificate: { commonName: 'alice' }, token: 'bob-token' }, chainWith([]), true);
    expect(result).toMatchObject({ user: { username: 'alice' }, by: 'x509' });
  });

  it('system:authenticated is added once, not twice', () => {
    const result = authenticate({ clientCertificate: { commonName: 'alice', organizations: ['system:authenticated'] } }, chainWith([]), true);
    expect(result).toMatchObject({ user: { groups: ['system:authenticated'] } });
  });

  it('a request without credentials is system:anonymous in system:unauthenticated', () => {
    expect(authenticate(undefined, chainWith([]), true)).toEqual({ user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, by: 'anonymous' });
    expect(authenticate({}, chainWith([]), true)).toMatchObject({ by: 'anonymous' });
  });

  it('with anonymous auth off (--anonymous-auth=false), a request without credentials is 401 Unauthorized', () => {
    expect401(authenticate(undefined, chainWith([]), false));
  });

  it('a token nobody recognises is 401, not anonymous', () => {
    expect401(authenticate({ token: 'made-up' }, chainWith([]), true));
  });
});

describe('service account tokens', () => {
  const token = issueServiceAccountToken(KEY, 'ci', 'builder', 'sa-uid-1', 60_000);

  it('is a JWT: three base64url parts, whose payload carries the issuer, subject and service account', () => {
    const parts = token.split('.');
    expect(parts).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      iss: 'https://kubernetes.default.svc.cluster.local',
      sub: 'system:serviceaccount:ci:builder',
      iat: 60,
      exp: 3660,
      'kubernetes.io': { namespace: 'ci', serviceaccount: { name: 'builder', uid: 'sa-uid-1' } },
    });
  });

  it('authenticates as system:serviceaccount:<ns>:<name>, in system:serviceaccounts and system:serviceaccounts:<ns>', () => {
    expect(authenticate({ token }, chainWith([builder]), true)).toEqual({
      user: { username: 'system:serviceaccount:ci:builder', uid: 'sa-uid-1', groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'] },
      by: 'service-account-token',
    });
  });

  it('a token with a changed payload fails the signature check', () => {
    const [header, , signature] = token.split('.');
    const claims = { iss: 'https://kubernetes.default.svc.cluster.local', 'kubernetes.io': { namespace: 'kube-system', serviceaccount: { name: 'admin', uid: 'x' } } };
    const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const answer = chainWith([builder])[2].authenticate({ token: `${header}.${forged}.${signature}` });
    expect(answer).toEqual({ outcome: 'rejected', why: 'invalid signature' });
    expect401(authenticate({ token: `${header}.${forged}.${signature}` }, chainWith([builder]), true));
  });

  it('a token signed with another key is rejected', () => {
    expect401(authenticate({ token: issueServiceAccountToken('another-key', 'ci', 'builder', 'sa-uid-1', 0) }, chainWith([builder]), true));
  });

  it('deleting the service account revokes its tokens', () => {
    expect(chainWith([])[2].authenticate({ token })).toEqual({ outcome: 'rejected', why: 'serviceaccounts "builder" not found' });
    expect401(authenticate({ token }, chainWith([]), true));
    expect401(authenticate({ token }, chainWith([serviceAccount('ci', 'builder', 'sa-uid-1', true)]), true));
  });

  it('a service account recreated under the same name does not accept the old tokens (its uid differs)', () => {
    expect(chainWith([serviceAccount('ci', 'builder', 'sa-uid-2')])[2].authenticate({ token })).toEqual({
      outcome: 'rejected',
      why: 'service account UID (sa-uid-2) does not match claim (sa-uid-1)',
    });
  });

  it('an expired token is rejected when the authenticator has a clock', () => {
    expect(authenticate({ token }, chainWith([builder], () => 3_659_999), true)).toMatchObject({ by: 'service-account-token' });
    expect401(authenticate({ token }, chainWith([builder], () => 3_660_000), true));
  });

  it('a token that is not a JWT is left to the other authenticators', () => {
    expect(chainWith([builder])[2].authenticate({ token: 'bob-token' })).toEqual({ outcome: 'not-mine' });
  });
});
