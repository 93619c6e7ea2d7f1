/**
 * The grader's test runner, run as a child process by run-suite.ts (never by hand).
 *
 * Starting Vitest costs about a second (it transforms the whole lab-kernel the suites import),
 * so this process starts it once and keeps it warm: each request runs one suite file again
 * and answers with a report in the shape of Vitest's JSON reporter.
 *
 *   parent → here:   { suite: '/repo/grader/suites/replicaset.test.ts' }
 *   here → parent:   { report, consoleOutput }                 the suite finished
 *                    { report, consoleOutput, stopped: true }  a test hit an endless loop or the
 *                                                              memory ceiling: the parent kills
 *                                                              this process group
 *                    { error }                                 Vitest itself failed
 *
 * Why stop at the first endless loop: each call of a looping function costs the 1 s slot
 * time limit, so a suite that calls it hundreds of times would take minutes, and Vitest
 * cannot cancel a test file that never yields. Code over the memory ceiling is the same: each
 * later test would fill 512 MB again. The tests not run by then count as failed.
 *
 * Which code is graded and with which seed comes from this process's environment
 * (KUBELAB_GRADE_SOURCE, KUBELAB_SEED), which Vitest's test workers inherit.
 */
import { createVitest, type TestCase, type TestModule, type Vitest } from 'vitest/node';
import { STOPS_THE_SUITE, stripAnsi, type VitestJsonReport } from './grade';

const NOT_RUN = 'not run: the grader stopped at the first endless loop or memory overrun';

let consoleOutput: string[] = [];
let stopped = false;

async function startVitest(): Promise<Vitest> {
  const instance = await createVitest(
    'test',
    {
      watch: false,
      // Our only reporter: it keeps what the learner's code printed, and watches for endless loops and memory overruns.
      reporters: [
        {
          onUserConsoleLog: (log) => void consoleOutput.push(stripAnsi(log.content).trimEnd()),
          onTestCaseResult: (test) => {
            if (stopped || !test.result().errors?.some((e) => STOPS_THE_SUITE.test(e.message))) return;
            stopped = true;
            process.send?.({ report: { testResults: [toJsonFileResult(test.module)] }, consoleOutput, stopped });
          },
        },
      ],
    },
    // The parent watches exercises/ itself; Vite's own file watcher is not needed.
    { server: { watch: null } },
  );
  await instance.init();
  return instance;
}

// Started right away, so Vitest warms up while the parent type-checks.
const vitest = startVitest();

async function runSuite(file: string): Promise<VitestJsonReport> {
  const instance = await vitest;
  consoleOutput = [];
  stopped = false;
  // createSpecification skips the config's include patterns: the parent names the file.
  const spec = instance.getRootProject().createSpecification(file);
  const { testModules } = await instance.runTestSpecifications([spec]);
  // The warm instance reports every module it has ever run: keep only the one asked for.
  return { testResults: testModules.filter((m) => m.moduleId === file).map(toJsonFileResult) };
}

/** One test file's results as Vitest's JSON reporter writes them, plus the expected/received diff. */
function toJsonFileResult(module: TestModule): VitestJsonReport['testResults'][number] {
  return {
    status: module.state() === 'passed' ? 'passed' : 'failed',
    message: module.errors().map((e) => e.stack ?? e.message).join('\n'),
    assertionResults: [...module.children.allTests()].map((test) => {
      const { state, errors = [] } = test.result();
      const unfinished = state === 'pending' && test.options.mode === 'run';
      return {
        ancestorTitles: ancestorTitles(test),
        title: test.name,
        status: unfinished ? 'failed' : state,
        failureMessages: unfinished ? [NOT_RUN] : errors.map((e) => [`${e.name ?? 'Error'}: ${e.message}`, e.diff].filter(Boolean).join('\n\n')),
      };
    }),
  };
}

/** The names of the describe blocks around a test, outermost first. */
function ancestorTitles(test: TestCase): string[] {
  const titles: string[] = [];
  for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) titles.unshift(parent.name);
  return titles;
}

process.on('message', (request: { suite: string }) => {
  runSuite(request.suite).then(
    (report) => stopped || process.send?.({ report, consoleOutput }),
    (err: unknown) => process.send?.({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});

// The parent went away (it exited or was killed): go too.
process.on('disconnect', () => process.exit(0));
