// The last word on the fidelity table (lab-kernel/fidelity.yaml): every row names a test, and
// that test must have run, and passed, in this run of the unit tests. lab-kernel/fidelity.test.ts
// checks each named test exists in its file; this checks it ran green, from the JSON report the
// unit-test step of `npm test` writes (vitest --reporter=json --outputFile=build/unit-results.json).
//
//   node scripts/check-fidelity.mjs [build/unit-results.json]
//   // => fidelity: 61 claims, each pinned by a test that passed
//   // => FAIL  "<claim>": lab-kernel/x.test.ts "<name>" did not run / failed
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
export const RESULTS = join(ROOT, 'build', 'unit-results.json');

/**
 * The rows whose test did not pass in `report` (vitest's JSON report), each with why:
 *   unpinned([{ claim, test: { file: 'a.test.ts', name: 'x' } }], report)   // => [{ claim, why: 'failed' }] or []
 * A row's name is matched inside a test's full name (an it.each title is a template; a
 * quote escaped in the source, \', is a plain ' when the test runs). A row passes if some
 * test in its file with that name passed and none failed.
 */
export function unpinned(claims, report, root = ROOT) {
  const tests = report.testResults.flatMap((file) =>
    file.assertionResults.map((t) => ({ file: relative(root, file.name), fullName: t.fullName, status: t.status })),
  );
  const problems = [];
  for (const c of claims) {
    const name = c.test.name.replaceAll("\\'", "'");
    const named = tests.filter((t) => t.file === c.test.file && t.fullName.includes(name));
    let why;
    if (named.length === 0) why = 'did not run';
    else if (named.some((t) => t.status === 'failed')) why = 'failed';
    else if (!named.some((t) => t.status === 'passed')) why = `did not pass (${named[0].status})`;
    if (why !== undefined) problems.push({ claim: c.claim, file: c.test.file, name: c.test.name, why });
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const resultsFile = process.argv[2] ?? RESULTS;
  if (!existsSync(resultsFile)) {
    console.log(`no test results in ${resultsFile}: run the unit tests with --reporter=json --outputFile=${resultsFile}`);
    process.exit(1);
  }
  const claims = parse(readFileSync(join(ROOT, 'lab-kernel', 'fidelity.yaml'), 'utf8')).claims;
  const problems = unpinned(claims, JSON.parse(readFileSync(resultsFile, 'utf8')));
  for (const p of problems) console.log(`FAIL  ${JSON.stringify(p.claim)}: ${p.file} "${p.name}" ${p.why}`);
  console.log(`fidelity: ${claims.length} claims, ${claims.length - problems.length} pinned by a test that passed in this run`);
  process.exit(problems.length === 0 ? 0 : 1);
}
