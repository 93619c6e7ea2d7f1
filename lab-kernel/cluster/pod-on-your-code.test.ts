import { describe, expect, it } from 'vitest';
import { podOnYourCode } from './pod-on-your-code';

const pod = (cpu: string) => `apiVersion: v1\nkind: Pod\nmetadata: { name: try-me }\nspec:\n  containers: [{ name: app, image: nginx:1.27, resources: { requests: { cpu: "${cpu}" } } }]\n`;

describe('podOnYourCode', () => {
  it('runs the pod on a fresh cluster whose slot runs the given code, and reports where it went', () => {
    const row = podOnYourCode('node-resources-fit', pod('100m'), { source: 'solution' });
    expect(row).toMatchObject({ slot: 'node-resources-fit', 'attempts (virtual s)': '-', 'what the scheduler reported': 'scheduled' });
    expect(row.pod).toMatch(/^Running on node-\d$/);
  });

  it('lists the failed attempts (virtual seconds since the cluster began) and what the scheduler said', () => {
    const row = podOnYourCode('node-resources-fit', pod('6'), { source: 'solution', runMs: 2_000 });
    expect(row.pod).toBe('Pending');
    expect(row['attempts (virtual s)']).toMatch(/^\d+\.\d$/);
    expect(row['what the scheduler reported']).toContain('Insufficient cpu');
  });
});
