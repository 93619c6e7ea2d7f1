import { describe, expect, it } from 'vitest';
import { forbiddenRequest } from '../../api/status';
import type { Namespace, Pod } from '../../api/types';
import type { AdmissionPlugin } from '../pipeline-types';
import { alwaysPullImagesPlugin } from './always-pull-images';
import {
  AdmissionChain,
  admissionRequestFor,
  DEFAULT_ADMISSION_ORDER,
  describeAdmission,
  fixedAdmissionContext,
  forbiddenByAdmission,
  runAdmission,
} from './chain';
import { defaultTolerationSecondsPlugin } from './default-toleration-seconds';
import { limitRangerPlugin } from './limit-ranger';
import { namespaceLifecyclePlugin } from './namespace-lifecycle';
import { priorityPlugin } from './priority';
import { serviceAccountPlugin } from './service-account';

function pod(name: string, namespace = 'dev'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } };
}

const dev: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' }, status: { phase: 'Active' } };
const defaultAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'dev' } };
const ctx = fixedAdmissionContext([dev, defaultAccount]);

/** A stand-in for LimitRanger and ResourceQuota, which live in their own files. */
function named(name: string): AdmissionPlugin {
  return { name, validate: () => undefined };
}

describe('runAdmission (kube-apiserver admission chain)', () => {
  it('runs the mutating plugins in order and reports which ran and which changed the object', () => {
    const req = admissionRequestFor('CREATE', pod('web'));
    const result = runAdmission([namespaceLifecyclePlugin(), serviceAccountPlugin(), defaultTolerationSecondsPlugin()], req, ctx, 'mutating');
    expect(result.outcome).toBe('admitted');
    expect(describeAdmission(result)).toBe('admission (mutating): NamespaceLifecycle ok, ServiceAccount mutated, DefaultTolerationSeconds mutated');
    expect((req.object as Pod).spec.serviceAccountName).toBe('default');
  });

  it('copies the object only for requests a mutating plugin may change: a pod status update needs no copy, a pod create does', () => {
    const plugins = [namespaceLifecyclePlugin(), limitRangerPlugin(), serviceAccountPlugin(), priorityPlugin(), defaultTolerationSecondsPlugin()];
    // JSON.stringify calls toJSON: each call is one copy of the object taken to detect a change.
    const counted = (p: Pod) => {
      let copies = 0;
      Object.defineProperty(p, 'toJSON', { enumerable: false, value: () => (copies++, { ...p }) });
      return { pod: p, copies: () => copies };
    };
    const status = counted(pod('web'));
    const update = runAdmission(plugins, admissionRequestFor('UPDATE', status.pod, { oldObject: pod('web'), subresource: 'status' }), ctx, 'mutating');
    expect(describeAdmission(update)).toBe('admission (mutating): NamespaceLifecycle ok, Priority ok, DefaultTolerationSeconds ok');
    expect(status.copies()).toBe(0);
    const create = counted(pod('web'));
    runAdmission(plugins, admissionRequestFor('CREATE', create.pod), ctx, 'mutating');
    expect(create.copies()).toBeGreaterThan(0);
  });

  it('a plugin whose mayMutate throws is watched for changes all the same', () => {
    const sneaky: AdmissionPlugin = {
      name: 'Sneaky',
      mayMutate: () => {
        throw new Error('cannot tell');
      },
      mutate: (req) => void ((req.object as Pod).spec.nodeName = 'node-1'),
    };
    expect(describeAdmission(runAdmission([sneaky], admissionRequestFor('CREATE', pod('web')), ctx, 'mutating'))).toBe('admission (mutating): Sneaky mutated');
  });

  it('stops at the first refusal: later plugins do not run', () => {
    let laterRan = false;
    const later: AdmissionPlugin = { name: 'Later', mutate: () => void (laterRan = true) };
    const result = runAdmission([namespaceLifecyclePlugin(), later], admissionRequestFor('CREATE', pod('web', 'ghost')), ctx, 'mutating');
    expect(result.outcome).toBe('refused');
    expect(result.error?.status).toMatchObject({ code: 404, reason: 'NotFound', message: 'namespaces "ghost" not found' });
    expect(result.steps.map((s) => `${s.plugin} ${s.outcome}`)).toEqual(['NamespaceLifecycle refused']);
    expect(laterRan).toBe(false);
  });

  it('skips plugins without a method for the phase, or that do not handle the operation', () => {
    const onlyDeletes: AdmissionPlugin = { name: 'OnlyDeletes', operations: ['DELETE'], validate: () => forbiddenRequest({ group: '', resource: 'pods', name: 'x' }, 'no') };
    const result = runAdmission([defaultTolerationSecondsPlugin(), onlyDeletes, named('Checker')], admissionRequestFor('CREATE', pod('web')), ctx, 'validating');
    expect(describeAdmission(result)).toBe('admission (validating): Checker ok');
  });

  it('a plugin that throws fails the request with a 500 naming the plugin, instead of crashing the API server', () => {
    const broken: AdmissionPlugin = {
      name: 'Broken',
      mutate: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'labels')");
      },
    };
    const result = runAdmission([broken], admissionRequestFor('CREATE', pod('web')), ctx, 'mutating');
    expect(result.error?.status).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: `Internal error occurred: admission plugin "Broken" failed: Cannot read properties of undefined (reading 'labels')`,
    });
  });

  it('a plugin that returns something other than a StatusError also fails the request with a 500', () => {
    const sloppy = { name: 'Sloppy', validate: () => 'no thanks' } as unknown as AdmissionPlugin;
    const result = runAdmission([sloppy], admissionRequestFor('CREATE', pod('web')), ctx, 'validating');
    expect(result.error?.code).toBe(500);
    expect(result.error?.message).toContain('admission plugin "Sloppy" returned "no thanks"');
  });
});

describe('forbiddenByAdmission (admission.NewForbidden)', () => {
  it('names the object, or its generateName prefix when the name is still to be generated', () => {
    expect(forbiddenByAdmission(admissionRequestFor('CREATE', pod('web')), 'nope').status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'pods "web" is forbidden: nope',
    });
    const generated: Pod = { ...pod(''), metadata: { generateName: 'web-', namespace: 'dev' } };
    expect(forbiddenByAdmission(admissionRequestFor('CREATE', generated), 'nope').message).toBe('pods "web-" is forbidden: nope');
  });
});

describe('AdmissionChain (--enable-admission-plugins)', () => {
  const builtIns = () => [
    named('ResourceQuota'),
    alwaysPullImagesPlugin(),
    defaultTolerationSecondsPlugin(),
    serviceAccountPlugin(),
    named('LimitRanger'),
    priorityPlugin(),
    namespaceLifecyclePlugin(),
  ];

  it("puts built-in plugins in kube-apiserver's order and leaves AlwaysPullImages off by default", () => {
    const chain = new AdmissionChain(builtIns());
    expect(chain.names()).toEqual([...DEFAULT_ADMISSION_ORDER]);
    chain.enable('AlwaysPullImages');
    expect(chain.names()).toEqual(['NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'AlwaysPullImages', 'Priority', 'DefaultTolerationSeconds', 'ResourceQuota']);
    chain.disable('LimitRanger');
    expect(chain.names()).not.toContain('LimitRanger');
  });

  it('registers a custom plugin before ResourceQuota by default, or after a named plugin', () => {
    const chain = new AdmissionChain(builtIns());
    chain.register(named('NoLatestTag'));
    expect(chain.names().slice(-2)).toEqual(['NoLatestTag', 'ResourceQuota']);
    chain.register(named('TeamLabel'), { after: 'NamespaceLifecycle' });
    expect(chain.names().slice(0, 2)).toEqual(['NamespaceLifecycle', 'TeamLabel']);
    chain.register(named('First'), { before: 'NamespaceLifecycle' });
    expect(chain.names()[0]).toBe('First');
  });

  it('registering a plugin under a built-in name swaps it in at the same place', () => {
    const chain = new AdmissionChain(builtIns());
    const mine: AdmissionPlugin = { name: 'ServiceAccount', mutate: () => undefined };
    chain.register(mine);
    expect(chain.names()).toEqual([...DEFAULT_ADMISSION_ORDER]);
    expect(chain.plugins()[2]).toBe(mine);
  });

  it('refuses to enable a plugin it does not know, listing those it does', () => {
    const chain = new AdmissionChain(builtIns());
    expect(() => chain.enable('PodSecurity')).toThrow(/"PodSecurity" is not registered; known: NamespaceLifecycle, LimitRanger/);
  });

  it('admit runs one phase over the enabled plugins only', () => {
    const chain = new AdmissionChain(builtIns());
    const req = admissionRequestFor('CREATE', pod('web'));
    chain.admit(req, ctx, 'mutating');
    expect((req.object as Pod).spec.containers[0].imagePullPolicy).toBeUndefined();
    chain.enable('AlwaysPullImages');
    chain.admit(req, ctx, 'mutating');
    expect((req.object as Pod).spec.containers[0].imagePullPolicy).toBe('Always');
  });
});
