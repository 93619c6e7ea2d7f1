import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../defaults';
import { resourceFor } from '../resources';
import type { KubeObject } from '../types';
import { validate } from '../validation';

/**
 * A Deployment's validation messages, word for word as kube-apiserver 1.32 writes them
 * (pkg/apis/apps/validation ValidateDeploymentSpec, ValidateRollingUpdateDeployment; values
 * printed by apimachinery v0.32's field.Error: numbers plainly, a label map and an
 * intstr.IntOrString with Go's %#v).
 */
const container = { name: 'nginx', image: 'nginx:1.14.2' };

function deployment(spec: Record<string, unknown>): KubeObject {
  const d: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx-deployment', namespace: 'default' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'nginx' } }, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [container] } }, ...spec },
  };
  applyDefaults(d);
  return d;
}

const lines = (d: KubeObject) => validate(resourceFor('Deployment'), d).map((c) => `${c.field}: ${c.message}`);
const rolling = (rollingUpdate: Record<string, unknown>) => ({ strategy: { type: 'RollingUpdate', rollingUpdate } });

describe('Deployment validation, as 1.32 words it', () => {
  it('refuses a selector that does not match the template labels, printing the labels as a Go map', () => {
    const d = deployment({ template: { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [container] } } });
    expect(lines(d)).toEqual(['spec.template.metadata.labels: Invalid value: map[string]string{"app":"web", "tier":"fe"}: `selector` does not match template `labels`']);
  });

  it('refuses maxSurge and maxUnavailable both 0, printing the intstr.IntOrString', () => {
    expect(lines(deployment(rolling({ maxSurge: 0, maxUnavailable: 0 })))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
    ]);
    expect(lines(deployment(rolling({ maxSurge: '0%', maxUnavailable: '0%' })))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0',
    ]);
  });

  it('refuses negative replicas', () => {
    expect(lines(deployment({ replicas: -1 }))).toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('refuses maxUnavailable above 100% but allows a surge of 200%', () => {
    expect(lines(deployment(rolling({ maxSurge: '200%', maxUnavailable: '25%' })))).toEqual([]);
    expect(lines(deployment(rolling({ maxSurge: 1, maxUnavailable: '110%' })))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%',
    ]);
  });

  it('refuses a percentage that is not one, and a negative number of pods', () => {
    expect(lines(deployment(rolling({ maxSurge: '20Percent', maxUnavailable: -1 })))).toEqual([
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"20Percent"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ]);
  });

  it('accepts Recreate, and refuses rollingUpdate settings with it', () => {
    expect(lines(deployment({ strategy: { type: 'Recreate' } }))).toEqual([]);
    expect(lines(deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }))).toEqual([
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
  });

  it('refuses another strategy type, printing the strategy as a Go struct', () => {
    expect(lines(deployment({ strategy: { type: 'BlueGreen' } }))).toEqual([
      'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"',
    ]);
  });
});
