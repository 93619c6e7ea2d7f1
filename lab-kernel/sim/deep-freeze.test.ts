import { describe, expect, it } from 'vitest';
import { deepFreeze, deepFreezeSharing, isDeepFrozen } from './deep-freeze';

const pod = (phase: string, ip?: string) =>
  JSON.parse(JSON.stringify({ metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80 }] }] }, status: { phase, podIP: ip } }));

describe('deep freezing', () => {
  it('freezes every level, and knows the top it froze', () => {
    const p = deepFreeze(pod('Running'));
    expect(Object.isFrozen(p.spec.containers[0].ports[0])).toBe(true);
    expect(isDeepFrozen(p)).toBe(true);
    expect(isDeepFrozen(Object.freeze({ a: {} }))).toBe(false);
  });

  it('does a new version share the parts that did not change with the version before?', () => {
    const v1 = deepFreeze(pod('Pending'));
    const v2 = deepFreezeSharing(pod('Running', '10.244.1.2'), v1);
    expect(v2.spec).toBe(v1.spec);
    expect(v2.metadata).toBe(v1.metadata);
    expect(v2.status).not.toBe(v1.status);
    expect(v2).toEqual(pod('Running', '10.244.1.2'));
    expect(Object.isFrozen(v2.status)).toBe(true);
    expect(isDeepFrozen(v2)).toBe(true);
  });

  it('does it share a part down to the element that changed, and keep the rest?', () => {
    const v1 = deepFreeze(JSON.parse('{"items":[{"a":1},{"b":{"c":2}}],"x":"y"}'));
    const v2 = deepFreezeSharing(JSON.parse('{"items":[{"a":1},{"b":{"c":3}}],"x":"y"}'), v1);
    expect(v2.items).not.toBe(v1.items);
    expect(v2.items[0]).toBe(v1.items[0]);
    expect(v2.items[1].b).toEqual({ c: 3 });
    expect(Object.isFrozen(v2.items[1].b)).toBe(true);
  });

  it('is the whole previous version returned when nothing changed?', () => {
    const v1 = deepFreeze(pod('Running'));
    expect(deepFreezeSharing(pod('Running'), v1)).toBe(v1);
  });

  it('does a part with the same fields in another order stay unshared (it would print differently)?', () => {
    const v1 = deepFreeze(JSON.parse('{"spec":{"a":1,"b":2}}'));
    const v2 = deepFreezeSharing(JSON.parse('{"spec":{"b":2,"a":1}}'), v1);
    expect(v2.spec).not.toBe(v1.spec);
    expect(JSON.stringify(v2)).toBe('{"spec":{"b":2,"a":1}}');
  });

  it('are added and removed fields and array elements seen as changes?', () => {
    const v1 = deepFreeze(JSON.parse('{"m":{"a":1},"l":[1,2]}'));
    const v2 = deepFreezeSharing(JSON.parse('{"m":{"a":1,"b":2},"l":[1]}'), v1);
    expect(v2).toEqual({ m: { a: 1, b: 2 }, l: [1] });
    const v3 = deepFreezeSharing(JSON.parse('{"m":{},"l":[1,2,3]}'), v2);
    expect(v3).toEqual({ m: {}, l: [1, 2, 3] });
    expect(Object.isFrozen(v3.l) && Object.isFrozen(v3.m)).toBe(true);
  });
});
