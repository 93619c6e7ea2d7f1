import { describe, expect, it } from 'vitest';
import { resourceFor } from './resources';
import type { KubeObject } from './types';
import { DNS1123_SUBDOMAIN_ERROR, validate } from './validation';

const pod = (name: string, containers: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers } });

describe('validate', () => {
  it('names the field and uses Kubernetes wording for a bad name and a missing container list', () => {
    const causes = validate(resourceFor('Pod'), pod('Web_1', []));
    expect(causes).toEqual([
      { reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: "Web_1": ${DNS1123_SUBDOMAIN_ERROR}` },
      { reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' },
    ]);
  });

  it('checks each container: name and image are required', () => {
    const causes = validate(resourceFor('Pod'), pod('ok', [{ name: 'web' }, { image: 'nginx' }]));
    expect(causes.map((c) => `${c.field}: ${c.message}`)).toEqual(['spec.containers[0].image: Required value', 'spec.containers[1].name: Required value']);
  });

  it('rejects a ReplicaSet whose selector does not match its template', () => {
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web' },
      spec: { replicas: -1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    };
    expect(validate(resourceFor('ReplicaSet'), rs).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      'spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    ]);
  });

  it('rejects label values that are not valid label values', () => {
    const bad = { ...pod('ok', [{ name: 'c', image: 'i' }]), metadata: { name: 'ok', labels: { app: 'no spaces' } } };
    expect(validate(resourceFor('Pod'), bad)[0]).toMatchObject({ field: 'metadata.labels', message: expect.stringContaining('Invalid value: "no spaces": a valid label must be') });
  });
});
