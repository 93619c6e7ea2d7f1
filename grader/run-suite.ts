/**
 * Runs grader suites in a child process (suite-server.ts) with a hard wall-clock limit.
 *
 *   const runner = new SuiteRunner(root, { source: 'exercise', seed: 1 });   // runs: 1 for one run per scenario (KUBELAB_SEEDS)
 *   await runner.run('/repo/grader/suites/replicaset.test.ts')  // => { kind: 'report', report, ... }
 *   runner.close()                                               // always, before exiting
 *
 * The child keeps one Vitest warm, so the second run of a suite takes well under a second.
 * Learner code cannot hang the grader: the slot loader stops a function after 1 s, the child
 * reports the first such endless loop at once, and if a run still takes longer than
 * `timeoutMs` the run reports `timeout`. Either way the whole child process group (Vitest and
 * its test workers) is killed and a fresh child starts.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { SlotSource } from '../lab-kernel/slots/slots';
import type { SuiteOutcome, VitestJsonReport } from './grade';

const SUITE_TIMEOUT_MS = 60_000;

/** See suite-server.ts. */
type ServerReply = { report: VitestJsonReport; consoleOutput: string[]; stopped?: true } | { error: string };

export class SuiteRunner {
  private server: ChildProcess | undefined;
  /** The end of the child's stderr: what we show when it dies. */
  private stderrTail = '';

  constructor(
    private readonly root: string,
    private readonly grading: { source: SlotSource; seed: number; runs?: number; quick?: boolean },
    private readonly timeoutMs = SUITE_TIMEOUT_MS,
  ) {}

  run(suite: string): Promise<SuiteOutcome> {
    const server = (this.server ??= this.startServer());
    return new Promise((resolve) => {
      const finish = (outcome: SuiteOutcome) => {
        clearTimeout(timer);
        server.off('message', onReply);
        server.off('exit', onExit);
        resolve(outcome);
      };
      const onReply = (reply: ServerReply) => {
        if ('error' in reply) return finish({ kind: 'crashed', detail: reply.error });
        if (reply.stopped) this.restart(); // its test worker may still be looping
        finish({ kind: 'report', report: reply.report, consoleOutput: reply.consoleOutput });
      };
      const onExit = () => {
        if (this.server === server) this.server = undefined;
        finish({ kind: 'crashed', detail: this.stderrTail || 'the test runner exited without a report' });
      };
      const timer = setTimeout(() => {
        this.restart();
        finish({ kind: 'timeout', afterMs: this.timeoutMs });
      }, this.timeoutMs);
      server.on('message', onReply);
      server.on('exit', onExit);
      server.send({ suite: path.resolve(this.root, suite) }, (err) => err && onExit());
    });
  }

  /** A fresh child, started now so that it is warm by the next run. */
  private restart(): void {
    this.close();
    this.server = this.startServer();
  }

  /** Kills the child and everything it started. Safe to call any time, also from process.on('exit'). */
  close(): void {
    const pid = this.server?.pid;
    this.server = undefined;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL'); // the minus: the whole process group
    } catch {
      // already gone
    }
  }

  private startServer(): ChildProcess {
    this.stderrTail = '';
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'suite-server.ts')], {
      cwd: this.root,
      env: {
        ...process.env,
        KUBELAB_GRADE_SOURCE: this.grading.source,
        KUBELAB_SEED: String(this.grading.seed),
        // Learner code runs in a child process of its own (lab-kernel/slots/sandbox.ts), which
        // talks over named pipes: Linux and macOS. On Windows it runs in the suite's process.
        KUBELAB_SANDBOX: process.platform === 'win32' ? '0' : '1',
        ...(this.grading.runs === undefined ? {} : { KUBELAB_SEEDS: String(this.grading.runs) }),
        ...(this.grading.quick === true ? { KUBELAB_QUICK: '1' } : {}),
      },
      // Its own process group, so close() can kill Vitest's test workers with it.
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000);
    });
    child.on('error', () => undefined); // reported through 'exit' or the send callback
    return child;
  }
}
