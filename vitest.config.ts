import { defineConfig } from 'vitest/config';

// One config for the kernel's own tests and the grader's suites. chapters/ holds a symlink
// to lab-kernel/ (for the notebooks), so it is excluded or every test would run twice.
export default defineConfig({
  test: {
    include: ['lab-kernel/**/*.test.ts', 'grader/**/*.test.ts'],
    exclude: ['chapters/**', 'node_modules/**'],
  },
});
