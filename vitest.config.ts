import { defineConfig } from 'vitest/config';

// One config for the kernel's own tests and the grader's suites. chapters/ holds a symlink
// to lab-kernel/ (for the notebooks), so it is excluded or every test would run twice.
// A pinning run (KUBELAB_TRACE_PINS, see scripts/trace-pins.mjs) hashes every simulation's trace.
export default defineConfig({
  test: {
    include: ['lab-kernel/**/*.test.ts', 'grader/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['chapters/**', 'node_modules/**'],
    setupFiles: process.env.KUBELAB_TRACE_PINS ? ['scripts/trace-pins.setup.ts'] : [],
  },
});
