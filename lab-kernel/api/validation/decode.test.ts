import { describe, expect, it } from 'vitest';
import { resourceFor } from '../resources';
import { base64ErrorAt, decodeError } from './decode';

describe('decodeError: what kube-apiserver refuses with 400 before validating', () => {
  it('a Secret value that is not base64: "illegal base64 data at input byte N", as kubectl users see it', () => {
    const secret = (password: string) => decodeError(resourceFor('Secret'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password } });
    expect(secret('admin')).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4');
    expect(secret('My-pass-123')).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 2');
    expect(secret('YWRtaW4=')).toBeUndefined();
  });

  it("follows Go's base64 decoder on padding, newlines and trailing garbage", () => {
    expect(base64ErrorAt('')).toBeUndefined();
    expect(base64ErrorAt('YWRt\naW4=')).toBeUndefined();
    expect(base64ErrorAt('YQ==')).toBeUndefined();
    expect(base64ErrorAt('YQ=')).toBe(3); // "==" expected, only one "="
    expect(base64ErrorAt('====')).toBe(0);
    expect(base64ErrorAt('YWI=YQ==')).toBe(4); // data after the padding
    expect(base64ErrorAt('abc')).toBe(0);
  });

  it('a field of the wrong JSON type: json: cannot unmarshal ... into Go struct field', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 'three' } };
    expect(decodeError(resourceFor('Deployment'), deployment)).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: 'nginx' } };
    expect(decodeError(resourceFor('Pod'), pod)).toBe('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container');
    const annotations = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: ['a'] } };
    expect(decodeError(resourceFor('ConfigMap'), annotations)).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal array into Go struct field ObjectMeta.metadata.annotations of type map[string]string',
    );
  });

  it('a malformed quantity in a container resource', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { limits: { cpu: 'lots' } } }] } };
    expect(decodeError(resourceFor('Pod'), pod)).toBe("Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });

  it('a well-typed object decodes', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: 1024 } } }] } };
    expect(decodeError(resourceFor('Pod'), pod)).toBeUndefined();
  });
});
