import { defineConfig } from 'vitest/config';

// One config for the kernel's own tests and the grader's suites. chapters/ holds a symlink
// to lab-kernel/ (for the notebooks), so it is excluded or every test would run twice.
// A pinning run (KUBELAB_TRACE_PINS, see scripts/trace-pins.mjs) hashes every simulation's trace.
export default defineConfig({
  test: {
    include: ['lab-kernel/**/*.test.ts', 'grader/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['chapters/**', 'node_modules/**'],
    // The kernel's tests run whole simulations: CPU-bound work that takes 1-4 s on a quiet
    // 2-core machine and 3-5 times as long when CI or a second job shares it. Vitest's 5 s
    // default then fails tests that are merely slow; 60 s still reports a real hang.
    testTimeout: 60_000,
    setupFiles: process.env.KUBELAB_TRACE_PINS ? ['scripts/trace-pins.setup.ts'] : [],
    // Handed to every test file's environment explicitly: without isolation a worker's
    // process.env is restored between files.
    env: process.env.KUBELAB_TRACE_PINS ? { KUBELAB_TRACE_PINS: process.env.KUBELAB_TRACE_PINS, KUBELAB_TRACE_GROUP: process.env.KUBELAB_TRACE_GROUP ?? 'tests' } : {},
  },
});
