import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../api/defaults';
import type { Container, LimitRange, LimitRangeItem, Pod } from '../../api/types';
import { admissionRequestFor, fixedAdmissionContext, runAdmission } from './chain';
import { LIMIT_RANGER_ANNOTATION, limitRangerPlugin } from './limit-ranger';

/** Objects are defaulted before admission, as the API server stores and reads them. */
function limitRange(...items: LimitRangeItem[]): LimitRange {
  const lr: LimitRange = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'dev' }, spec: { limits: items } };
  applyDefaults(lr);
  return lr;
}

function pod(...containers: Partial<Container>[]): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'dev' },
    spec: { containers: containers.map((c, i) => ({ name: i === 0 ? 'web' : `c${i}`, image: 'nginx:1.27', ...c })) },
  };
  applyDefaults(p);
  return p;
}

/** Both phases, as the API server runs them: the mutated pod, and the 403 message if refused. */
function admit(p: Pod, ...ranges: LimitRange[]) {
  const req = admissionRequestFor('CREATE', p);
  const ctx = fixedAdmissionContext(ranges);
  const mutating = runAdmission([limitRangerPlugin()], req, ctx, 'mutating');
  const validating = runAdmission([limitRangerPlugin()], req, ctx, 'validating');
  return { pod: req.object as Pod, outcome: validating.outcome, mutating, error: validating.error?.status };
}

describe('LimitRanger: defaults', () => {
  it('fills missing requests from defaultRequest and missing limits from default, and says so in an annotation', () => {
    const lr = limitRange({ type: 'Container', default: { cpu: '1', memory: '512Mi' }, defaultRequest: { cpu: '500m', memory: '256Mi' } });
    const { pod: p, mutating } = admit(pod({}), lr);
    expect(mutating.steps[0].outcome).toBe('mutated');
    expect(p.spec.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe(
      'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web',
    );
  });

  it('keeps what the container specifies and names only what it set', () => {
    const lr = limitRange({ type: 'Container', default: { cpu: '1', memory: '512Mi' }, defaultRequest: { cpu: '500m', memory: '256Mi' } });
    const { pod: p } = admit(pod({ resources: { requests: { cpu: '200m' }, limits: { cpu: '400m' } } }), lr);
    expect(p.spec.containers[0].resources).toEqual({ requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '400m', memory: '512Mi' } });
    expect(p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe('LimitRanger plugin set: memory request for container web; memory limit for container web');
  });

  it('a default limit alone also becomes the default request (the LimitRange is defaulted when stored)', () => {
    const { pod: p } = admit(pod({}), limitRange({ type: 'Container', default: { cpu: '1' } }));
    expect(p.spec.containers[0].resources).toEqual({ requests: { cpu: '1' }, limits: { cpu: '1' } });
  });

  it('a container with a limit and no request gets the limit as its request, not the default request', () => {
    const lr = limitRange({ type: 'Container', defaultRequest: { cpu: '100m' } });
    const { pod: p } = admit(pod({ resources: { limits: { cpu: '2' } } }), lr);
    expect(p.spec.containers[0].resources?.requests).toEqual({ cpu: '2' });
  });

  it('leaves a pod alone when the namespace has no LimitRange', () => {
    const { pod: p, mutating } = admit(pod({}));
    expect(mutating.steps[0].outcome).toBe('ok');
    expect(p.spec.containers[0].resources).toBeUndefined();
    expect(p.metadata.annotations).toBeUndefined();
  });

  it('does not look at subresources such as pods/binding', () => {
    const req = admissionRequestFor('CREATE', pod({}), { subresource: 'binding' });
    const result = runAdmission([limitRangerPlugin()], req, fixedAdmissionContext([limitRange({ type: 'Container', default: { cpu: '1' } })]), 'mutating');
    expect(result.steps[0].outcome).toBe('ok');
  });
});

describe('LimitRanger: min, max and maxLimitRequestRatio', () => {
  it.each<[string, LimitRangeItem, Partial<Container>, string]>([
    ['a limit over max', { type: 'Container', max: { cpu: '1' } }, { resources: { limits: { cpu: '2' } } }, 'maximum cpu usage per Container is 1, but limit is 2'],
    ['a request under min', { type: 'Container', min: { memory: '100Mi' } }, { resources: { requests: { memory: '50Mi' } } }, 'minimum memory usage per Container is 100Mi, but request is 50Mi'],
    ['a limit under min', { type: 'Container', min: { cpu: '500m' } }, { resources: { requests: { cpu: '500m' }, limits: { cpu: '0.2' } } }, 'minimum cpu usage per Container is 500m, but limit is 200m'],
    [
      'a limit four times the request, two allowed',
      { type: 'Container', maxLimitRequestRatio: { cpu: '2' } },
      { resources: { requests: { cpu: '250m' }, limits: { cpu: '1' } } },
      'cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000',
    ],
    [
      'a pod whose containers together exceed the Pod max',
      { type: 'Pod', max: { memory: '1Gi' } },
      { resources: { limits: { memory: '768Mi' } } },
      'maximum memory usage per Pod is 1Gi, but limit is 1610612736',
    ],
  ])('refuses %s with Kubernetes\' message', (_what, item, container, message) => {
    const containers = item.type === 'Pod' ? [container, container] : [container];
    const { outcome, error } = admit(pod(...containers), limitRange(item));
    expect(outcome).toBe('refused');
    expect(error).toMatchObject({ code: 403, reason: 'Forbidden', message: `pods "web" is forbidden: ${message}` });
  });

  it('a max with no default: the container must give a limit (the max becomes its default)', () => {
    const { pod: p, outcome } = admit(pod({}), limitRange({ type: 'Container', max: { cpu: '1' } }));
    expect(outcome).toBe('admitted');
    expect(p.spec.containers[0].resources?.limits).toEqual({ cpu: '1' });
  });

  it('lists several violations at once, in brackets', () => {
    const lr = limitRange({ type: 'Container', max: { cpu: '1' }, min: { memory: '100Mi' } });
    const { error } = admit(pod({ resources: { requests: { memory: '50Mi' }, limits: { cpu: '2', memory: '50Mi' } } }), lr);
    expect(error?.message).toBe(
      'pods "web" is forbidden: [minimum memory usage per Container is 100Mi, but request is 50Mi, maximum cpu usage per Container is 1, but limit is 2]',
    );
  });

  it('admits a pod within every bound', () => {
    const lr = limitRange({ type: 'Container', min: { cpu: '100m' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '4' } });
    expect(admit(pod({ resources: { requests: { cpu: '500m' }, limits: { cpu: '1' } } }), lr).outcome).toBe('admitted');
  });

  it('names a pod with a generated name by its prefix', () => {
    const p = pod({ resources: { limits: { cpu: '2' } } });
    p.metadata = { generateName: 'web-', namespace: 'dev' };
    const req = admissionRequestFor('CREATE', p);
    const result = runAdmission([limitRangerPlugin()], req, fixedAdmissionContext([limitRange({ type: 'Container', max: { cpu: '1' } })]), 'validating');
    expect(result.error?.message).toBe('pods "web-" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });
});
