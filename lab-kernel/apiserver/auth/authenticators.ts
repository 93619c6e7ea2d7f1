import { createHmac, timingSafeEqual } from 'crypto';
import { StatusError, unauthorized } from '../../api/status';
import type { ServiceAccount } from '../../api/types';
import type { Credentials } from '../../api/request';
import type { UserInfo } from '../pipeline-types';

/**
 * Authentication: who is sending this request?
 *
 * kube-apiserver asks its authenticators in order (client certificate, then bearer tokens:
 * the token file, then service account tokens); the first that recognises the credentials
 * names the user. Three answers are possible from each:
 *
 *   authenticated  "this is alice"                  => the request goes on as alice
 *   not-mine       "I do not know this credential"  => ask the next authenticator
 *   rejected       "this is mine, and it is bad"    => 401 Unauthorized (a forged or expired token)
 *
 *   authenticate({ clientCertificate: { commonName: 'alice', organizations: ['dev'] } }, [x509Authenticator()], true)
 *   // => { user: { username: 'alice', groups: ['dev', 'system:authenticated'] }, by: 'x509' }
 *   authenticate(undefined, chain, true)
 *   // => { user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, by: 'anonymous' }
 *   authenticate({ token: 'not-a-real-token' }, chain, true)
 *   // => StatusError 401 Unauthorized
 */

export const ANONYMOUS_USER = 'system:anonymous';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const SERVICE_ACCOUNTS_GROUP = 'system:serviceaccounts';

/** One authenticator's answer. (A string tag, not a boolean, so notebooks' TypeScript narrows it.) */
export type AuthenticatorAnswer =
  | { outcome: 'authenticated'; user: UserInfo }
  | { outcome: 'not-mine' }
  | { outcome: 'rejected'; why: string };

export interface Authenticator {
  /** Shown in the trace: "authenticated as alice by x509". */
  readonly name: string;
  authenticate(credentials: Readonly<Credentials>): AuthenticatorAnswer;
}

const NOT_MINE: AuthenticatorAnswer = { outcome: 'not-mine' };

/**
 * Runs the chain, as kube-apiserver's union authenticator followed by anonymous auth:
 *   - the first authenticator that says `authenticated` wins; every user it names also gets
 *     the group `system:authenticated` (AuthenticatedGroupAdder);
 *   - credentials that were presented but that no authenticator accepted (a rejected or unknown
 *     token: "invalid bearer token") are a 401, even with anonymous auth on;
 *   - a request with no credentials at all is `system:anonymous` in `system:unauthenticated`
 *     when anonymous auth is on (kube-apiserver's --anonymous-auth, on by default), else a 401.
 */
export function authenticate(
  credentials: Readonly<Credentials> | undefined,
  chain: readonly Authenticator[],
  allowAnonymous: boolean,
): { user: UserInfo; by: string } | StatusError {
  const presented = credentials !== undefined && (credentials.token !== undefined || credentials.clientCertificate !== undefined);
  if (presented) {
    for (const authenticator of chain) {
      const answer = authenticator.authenticate(credentials);
      if (answer.outcome === 'authenticated') return { user: withAuthenticatedGroup(answer.user), by: authenticator.name };
    }
    return unauthorized();
  }
  if (!allowAnonymous) return unauthorized();
  return { user: { username: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] }, by: 'anonymous' };
}

/**
 * AuthenticatedGroupAdder: every authenticated user is in `system:authenticated`, exactly once
 * (except one calling itself system:anonymous, or already in system:unauthenticated).
 */
function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.username === ANONYMOUS_USER || user.groups.includes(AUTHENTICATED_GROUP) || user.groups.includes(UNAUTHENTICATED_GROUP)) return user;
  return Object.assign({}, user, { groups: [...user.groups, AUTHENTICATED_GROUP] });
}

/**
 * Client certificates (kube-apiserver's --client-ca-file): the certificate's subject names the
 * user. The TLS handshake has already verified it against the cluster's CA, so a certificate
 * the lab hands over is always genuine.
 *
 *   { clientCertificate: { commonName: 'system:kube-scheduler' } }     => system:kube-scheduler, groups []
 *   { clientCertificate: { commonName: 'admin', organizations: ['system:masters'] } } => admin in system:masters
 */
export function x509Authenticator(): Authenticator {
  return {
    name: 'x509',
    authenticate(credentials) {
      const cert = credentials.clientCertificate;
      // A certificate without a CN names nobody: kube-apiserver lets the next authenticator try.
      if (cert === undefined || cert.commonName === '') return NOT_MINE;
      return { outcome: 'authenticated', user: { username: cert.commonName, groups: [...(cert.organizations ?? [])] } };
    },
  };
}

/** One line of a --token-auth-file (a CSV of token,user,uid,"group1,group2"). */
export interface StaticToken {
  token: string;
  username: string;
  uid: string;
  groups: string[];
}

/**
 * Static bearer tokens (kube-apiserver's --token-auth-file): a fixed table of tokens.
 *
 *   staticTokenAuthenticator([{ token: 's3cr3t', username: 'bob', uid: '1001', groups: ['dev'] }])
 *     { token: 's3cr3t' } => bob (uid 1001) in dev
 *     { token: 'other' }  => not-mine
 */
export function staticTokenAuthenticator(tokens: readonly StaticToken[]): Authenticator {
  const byToken = new Map(tokens.map((t) => [t.token, t]));
  return {
    name: 'token-file',
    authenticate(credentials) {
      const entry = credentials.token === undefined ? undefined : byToken.get(credentials.token);
      if (entry === undefined) return NOT_MINE;
      return { outcome: 'authenticated', user: { username: entry.username, uid: entry.uid, groups: [...entry.groups] } };
    },
  };
}

/** The issuer (and audience) of the lab's service account tokens: kube-apiserver's default --service-account-issuer. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** How long a token lives, as a projected token's default expirationSeconds. */
export const DEFAULT_TOKEN_SECONDS = 3600;

/** `system:serviceaccount:<namespace>:<name>`: the username a service account authenticates as. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** The claims of a service account token, as a bound (TokenRequest) token carries them. */
interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  iat: number;
  nbf: number;
  exp: number;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
}

/**
 * Issues a service account token: a JWT, `header.payload.signature`, each part base64url.
 * Times are in seconds, as in every JWT.
 *
 *   issueServiceAccountToken(key, 'default', 'builder', 'sa-uid-1', 60_000)
 *   // => 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOi...'  whose payload decodes to
 *   //    { iss: 'https://kubernetes.default.svc.cluster.local', sub: 'system:serviceaccount:default:builder',
 *   //      iat: 60, nbf: 60, exp: 3660, 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder', uid: 'sa-uid-1' } }, ... }
 *
 * The lab signs with HMAC-SHA256 and a shared key. Real tokens are RS256 or ES256: signed with
 * the private key of --service-account-signing-key-file, checked with the public key, so anyone
 * can verify them but only the API server can make them; and a projected token is also bound to
 * the pod it was made for (its claims name the pod, and it dies with it).
 */
export function issueServiceAccountToken(
  signingKey: string,
  namespace: string,
  name: string,
  uid: string,
  now: number,
  expirationSeconds: number = DEFAULT_TOKEN_SECONDS,
): string {
  const iat = Math.floor(now / 1000);
  const claims: ServiceAccountClaims = {
    iss: SERVICE_ACCOUNT_ISSUER,
    sub: serviceAccountUsername(namespace, name),
    aud: [SERVICE_ACCOUNT_ISSUER],
    iat,
    nbf: iat,
    exp: iat + expirationSeconds,
    'kubernetes.io': { namespace, serviceaccount: { name, uid } },
  };
  const signed = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${signed}.${sign(signingKey, signed)}`;
}

/** Finds a ServiceAccount object (the API server reads its cache). */
export type ServiceAccountLookup = (namespace: string, name: string) => Readonly<ServiceAccount> | undefined;

/**
 * Service account tokens, checked as kube-apiserver's JWT token authenticator does:
 *   not JWT-shaped, or from another issuer            => not-mine (another authenticator may know it)
 *   bad signature                                     => rejected
 *   expired (when a clock is given)                   => rejected
 *   its service account deleted, or recreated (a different uid) => rejected: deleting the
 *     ServiceAccount revokes every token it had
 *   otherwise => system:serviceaccount:<ns>:<name>, uid the account's, in system:serviceaccounts
 *     and system:serviceaccounts:<ns>
 */
export function serviceAccountTokenAuthenticator(signingKey: string, lookup: ServiceAccountLookup, clock?: () => number): Authenticator {
  return {
    name: 'service-account-token',
    authenticate(credentials) {
      const parts = credentials.token?.split('.') ?? [];
      if (parts.length !== 3) return NOT_MINE;
      const claims = decodeClaims(parts[1]);
      if (claims === undefined || claims.iss !== SERVICE_ACCOUNT_ISSUER) return NOT_MINE;
      if (!sameText(sign(signingKey, `${parts[0]}.${parts[1]}`), parts[2])) return { outcome: 'rejected', why: 'invalid signature' };
      if (clock !== undefined && clock() >= claims.exp * 1000) return { outcome: 'rejected', why: 'token is expired (exp)' };
      const namespace = claims['kubernetes.io']?.namespace ?? '';
      const { name = '', uid = '' } = claims['kubernetes.io']?.serviceaccount ?? {};
      const account = lookup(namespace, name);
      if (account === undefined) return { outcome: 'rejected', why: `serviceaccounts "${name}" not found` };
      if (account.metadata.uid !== uid) return { outcome: 'rejected', why: `service account UID (${account.metadata.uid}) does not match claim (${uid})` };
      if (account.metadata.deletionTimestamp !== undefined) return { outcome: 'rejected', why: `service account ${namespace}/${name} has been deleted` };
      return {
        outcome: 'authenticated',
        user: { username: serviceAccountUsername(namespace, name), uid, groups: [SERVICE_ACCOUNTS_GROUP, `${SERVICE_ACCOUNTS_GROUP}:${namespace}`] },
      };
    },
  };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function sign(key: string, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** Compares in constant time, so how long a check takes says nothing about the right signature. */
function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decodeClaims(part: string): ServiceAccountClaims | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as ServiceAccountClaims) : undefined;
  } catch {
    return undefined;
  }
}
