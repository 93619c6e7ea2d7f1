import { describe, expect, it } from 'vitest';
import { notImplemented } from '../sim/not-implemented';
import { compareReflectorSteps, describeStepResult, REFLECTOR_CASES } from './reflector-cases';
import { REFERENCE_REFLECTOR_STEP } from './reference-reflector.fixture';

describe('compareReflectorSteps', () => {
  it('says yes on every row for the reference against itself', () => {
    const rows = compareReflectorSteps(REFERENCE_REFLECTOR_STEP, REFERENCE_REFLECTOR_STEP);
    expect(rows).toHaveLength(REFLECTOR_CASES.length);
    expect(rows.every((r) => r.ok === 'yes')).toBe(true);
    expect(rows[0]).toMatchObject({ 'state, input': 'stopped, start', expected: 'listing, rv -; [list from "0"]' });
  });

  it('reports a step that throws, or that is not loaded', () => {
    const stub = () => {
      throw notImplemented('reflector');
    };
    expect(compareReflectorSteps(REFERENCE_REFLECTOR_STEP, stub)[0]['your reflectorStep']).toMatch(/^threw: not implemented yet/);
    expect(compareReflectorSteps(REFERENCE_REFLECTOR_STEP, undefined)[0]).toMatchObject({ 'your reflectorStep': '(not loaded)', ok: '' });
  });

  it('describes a result in one line', () => {
    const r = REFERENCE_REFLECTOR_STEP(REFLECTOR_CASES[1].state, REFLECTOR_CASES[1].input);
    expect(describeStepResult(r)).toBe('watching, rv 40; [replace (2), watch from 40 +bookmarks]');
  });
});
