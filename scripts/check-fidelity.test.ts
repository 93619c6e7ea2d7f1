import { describe, expect, it } from 'vitest';
import { unpinned } from './check-fidelity.mjs';

const claim = (name: string) => ({ claim: `claim of ${name}`, test: { file: 'lab-kernel/a.test.ts', name } });
const report = (...tests: { fullName: string; status: string }[]) => ({
  testResults: [{ name: '/repo/lab-kernel/a.test.ts', assertionResults: tests }],
});

describe('check-fidelity: every row of the table names a test that passed in this run', () => {
  it('accepts a row whose test passed, matching an it.each title and a quote escaped in the source', () => {
    const r = report({ fullName: "suite > answers a write it can't complete", status: 'passed' });
    expect(unpinned([claim("it can\\'t complete")], r, '/repo')).toEqual([]);
  });

  it('flags a row whose test did not run, failed, or was skipped, saying which', () => {
    const r = report({ fullName: 'suite > red', status: 'failed' }, { fullName: 'suite > skipped', status: 'skipped' });
    expect(unpinned([claim('missing'), claim('red'), claim('skipped')], r, '/repo').map((p) => p.why)).toEqual(['did not run', 'failed', 'did not pass (skipped)']);
  });

  it('does not take a test of the same name in another file', () => {
    const r = { testResults: [{ name: '/repo/lab-kernel/b.test.ts', assertionResults: [{ fullName: 'suite > x', status: 'passed' }] }] };
    expect(unpinned([claim('x')], r, '/repo').map((p) => p.why)).toEqual(['did not run']);
  });
});
