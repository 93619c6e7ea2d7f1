import { describe, expect, it } from 'vitest';
import { runCommand } from './shell';

const lines = (argv: string[], context = {}) => runCommand(argv, context).output.map((l) => `${l.atMs} ${l.stream} ${l.line}`);

describe("the lab's busybox shell", () => {
  it.each([
    ['sleep 3600 exits 0 after an hour', ['sleep', '3600'], 3_600_000, 0],
    ['sleep 0.5 takes half a second', ['sleep', '0.5'], 500, 0],
    ['sh -c "exit 3" exits 3 at once', ['sh', '-c', 'exit 3'], 0, 3],
    ['exit codes wrap at 256', ['sh', '-c', 'exit 300'], 0, 44],
    ['true exits 0', ['true'], 0, 0],
    ['an applet by its path in /bin: /bin/sh -c "exit 5"', ['/bin/sh', '-c', 'exit 5'], 0, 5],
    ['false exits 1', ['false'], 0, 1],
    ['echo exits 0', ['echo', 'hello'], 0, 0],
    ['sh without a command reads an empty stdin and exits 0', ['sh'], 0, 0],
    ['an unknown command in a script: 127', ['sh', '-c', 'nosuch'], 0, 127],
    ['a bad sleep argument: 1', ['sleep', 'soon'], 0, 1],
    ['the last command decides: sleep 1; false', ['sh', '-c', 'sleep 1; false'], 1000, 1],
    ['&& stops at a failure', ['sh', '-c', 'false && sleep 5'], 0, 1],
    ['|| runs after a failure', ['sh', '-c', 'false || sleep 2'], 2000, 0],
    ['exit ends the script', ['sh', '-c', 'exit 4; sleep 9'], 0, 4],
    ['a nested sh -c exits on its own; the outer script goes on', ['sh', '-c', 'sh -c "exit 2"; exit $?'], 0, 2],
  ])('%s', (_, argv, exitAtMs, exitCode) => {
    const run = runCommand(argv);
    expect(run.exitAtMs).toBe(exitAtMs);
    expect(run.exitCode).toBe(exitCode);
  });

  it('never exits on sleep infinity: only a signal ends it', () => {
    expect(runCommand(['sh', '-c', 'echo up; sleep infinity; echo never'])).toEqual({ output: [{ atMs: 0, stream: 'stdout', line: 'up' }], exitCode: 0 });
  });

  it('prints at the virtual time a line is reached, quotes and variables read as sh reads them', () => {
    const env = { GREETING: 'Hello', WHO: 'Kubernetes' };
    expect(lines(['sh', '-c', 'echo "$GREETING ${WHO}!" && sleep 2; echo \'$GREETING\' $?'], { env })).toEqual(['0 stdout Hello Kubernetes!', '2000 stdout $GREETING 0']);
    expect(lines(['sh', '-c', 'nosuch'])).toEqual(['0 stderr sh: nosuch: not found']);
  });

  it('cannot exec a program the image does not have', () => {
    expect(runCommand(['nginx', '-g', 'daemon off;']).notFound).toBe('nginx');
    expect(runCommand(['exit', '1']).notFound).toBe('exit');
  });

  it("answers hostname from the pod's namespaces", () => {
    expect(lines(['hostname'], { hostname: 'web' })).toEqual(['0 stdout web']);
  });

  it('stops at a wget it has no answer for, saying what it asks (localhost is 127.0.0.1), and goes on with the answer at the time it took', () => {
    expect(runCommand(['sh', '-c', 'echo go; wget -qO- http://localhost/; echo after'], { fetch: () => undefined })).toEqual({
      output: [{ atMs: 0, stream: 'stdout', line: 'go' }],
      exitCode: 0,
      pending: { atMs: 0, request: { host: '127.0.0.1', port: 80, path: '/', hostHeader: 'localhost' } },
    });
    const page = { outcome: { code: 200, body: '<title>Welcome to nginx!</title>' }, ms: 0.3 };
    expect(lines(['sh', '-c', 'echo go; wget -qO- http://10.244.2.3:8080/x; echo after'], { fetch: () => page })).toEqual(['0 stdout go', '0.3 stdout <title>Welcome to nginx!</title>', '0.3 stdout after']);
  });

  it("says what busybox's wget says when the connection fails or the server answers an error, with exit code 1", () => {
    const refused = runCommand(['wget', '-qO-', 'localhost:8080'], { fetch: () => ({ outcome: 'ECONNREFUSED', ms: 0.1 }) });
    expect([refused.exitCode, refused.output[0].line]).toEqual([1, "wget: can't connect to remote host (127.0.0.1): Connection refused"]);
    const timedOut = runCommand(['wget', '-qO-', 'http://10.244.9.9/'], { fetch: () => ({ outcome: 'ETIMEDOUT', ms: 127_000 }) });
    expect([timedOut.exitAtMs, timedOut.output[0].line]).toEqual([127_000, "wget: can't connect to remote host (10.244.9.9): Connection timed out"]);
    const bad = runCommand(['wget', '-qO-', 'http://10.244.1.5:8080/'], { fetch: () => ({ outcome: { code: 400, body: 'Bad request. Not a POST request\n' }, ms: 1 }) });
    expect([bad.exitCode, bad.output[0].line]).toEqual([1, 'wget: server returned error: HTTP/1.1 400 Bad Request']);
    expect(runCommand(['wget', '-qO-', 'http://web/']).output[0].line).toBe("wget: bad address 'web'");
  });

  it('says what it cannot interpret instead of pretending', () => {
    const run = runCommand(['sh', '-c', 'while true; do echo hi; sleep 1; done']);
    expect(run.exitCode).toBe(2);
    expect(run.output[0].line).toMatch(/^sh: the lab's shell does not run 'while'/);
    expect(runCommand(['sh', '-c', 'echo hi | wc -l']).output.map((l) => l.line)).toEqual([expect.stringMatching(/does not run '\|'/)]);
  });

  it("touches and removes files at the virtual time it reaches them, as the docs' liveness exec example does", () => {
    const run = runCommand(['sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600']);
    expect(run.exitAtMs).toBe(630_000);
    expect(run.files).toEqual([{ atMs: 0, path: '/tmp/healthy', content: '' }, { atMs: 30_000, path: '/tmp/healthy' }]);
  });

  it("cats a file of the container, and says can't open for a missing one (exit code 1)", () => {
    const files: Record<string, string> = { '/tmp/healthy': '', '/etc/motd': 'hello\nworld\n' };
    const readFile = (path: string) => files[path];
    expect(runCommand(['cat', '/tmp/healthy'], { readFile })).toEqual({ output: [], exitAtMs: 0, exitCode: 0 });
    expect(lines(['cat', '/etc/motd'], { readFile })).toEqual(['0 stdout hello', '0 stdout world']);
    const missing = runCommand(['cat', '/tmp/nosuch'], { readFile });
    expect([missing.exitCode, missing.output[0].line]).toEqual([1, "cat: can't open '/tmp/nosuch': No such file or directory"]);
  });

  it('sees its own changes: a file it removed is gone for a later cat; rm without -f fails on a missing file', () => {
    const run = runCommand(['sh', '-c', 'touch /a; cat /a && rm /a; cat /a'], { readFile: () => undefined });
    expect([run.exitCode, run.output.map((l) => l.line)]).toEqual([1, ["cat: can't open '/a': No such file or directory"]]);
    expect(runCommand(['rm', '/nosuch']).exitCode).toBe(1);
    expect(runCommand(['rm', '-f', '/nosuch']).exitCode).toBe(0);
  });
});

describe('date', () => {
  it("prints the time the command runs at, as busybox's date does (the docs' CronJob: date; echo Hello ...)", () => {
    const run = runCommand(['/bin/sh', '-c', 'date; echo Hello from the Kubernetes cluster'], { startedAtMs: 61_000 });
    expect(run.output.map((o) => o.line)).toEqual(['Wed Jan  1 00:01:01 UTC 2025', 'Hello from the Kubernetes cluster']);
    expect(run.exitCode).toBe(0);
  });
});

describe('dd', () => {
  it("writes count blocks of bs to the file at 512 MiB/s and prints busybox's three status lines (the e2e disk filler: dd if=/dev/zero of=FILE bs=1M count=N)", () => {
    const run = runCommand(['sh', '-c', 'dd if=/dev/zero of=/cache/fill bs=1M count=512; sleep infinity']);
    expect(run.files).toEqual([{ atMs: 1000, path: '/cache/fill', content: '', bytes: 512 * 1024 ** 2 }]);
    expect(run.output.map((l) => `${l.atMs} ${l.stream} ${l.line}`)).toEqual([
      '1000 stderr 512+0 records in',
      '1000 stderr 512+0 records out',
      '1000 stderr 536870912 bytes (512.0MB) copied, 1.000000 seconds, 512.0MB/s',
    ]);
    expect(run.exitAtMs).toBeUndefined();
  });

  it("reads busybox's size suffixes (k, M, G and the decimal kB, MB, GB) and refuses what it cannot copy", () => {
    expect(runCommand(['dd', 'if=/dev/urandom', 'of=/f', 'bs=1MB', 'count=3']).files![0].bytes).toBe(3_000_000);
    expect(runCommand(['dd', 'if=/dev/zero', 'of=/f', 'bs=4k', 'count=2']).files![0].bytes).toBe(8192);
    const bad = runCommand(['dd', 'if=/etc/passwd', 'of=/f', 'count=1']);
    expect(bad.exitCode).toBe(1);
    expect(bad.output[0].line).toMatch(/^dd: the lab's dd copies from \/dev\/zero/);
  });
});
