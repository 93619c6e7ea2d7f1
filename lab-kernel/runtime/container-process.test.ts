import { describe, expect, it } from 'vitest';
import { containerArgv, planProcess } from './container-process';
import { findImage } from './image-registry';

const image = (reference: string) => findImage(reference)!;

describe("a container's first process, planned from its image, command and cgroup", () => {
  it('follows Kubernetes\' rule: command replaces ENTRYPOINT, args replace CMD', () => {
    const nginx = image('nginx:1.27');
    expect(containerArgv(nginx, {})).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
    expect(containerArgv(nginx, { args: ['nginx-debug', '-g', 'daemon off;'] })).toEqual(['/docker-entrypoint.sh', 'nginx-debug', '-g', 'daemon off;']);
    expect(containerArgv(nginx, { command: ['sleep'], args: ['5'] })).toEqual(['sleep', '5']);
    expect(containerArgv(image('busybox'), {})).toEqual(['sh']);
    expect(containerArgv(image('busybox'), { args: ['sleep', '10'] })).toEqual(['sleep', '10']);
  });

  it('makes nginx listen on 80, print its entrypoint lines, run until stopped and exit 0 on its stop signal', () => {
    const plan = planProcess(image('nginx:1.27'), {});
    expect(plan.listensOn).toEqual({ port: 80, answer: '<title>Welcome to nginx!</title>' });
    expect(plan.output.map((l) => l.line)).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
    expect([plan.exitAtMs, plan.onStopSignal]).toEqual([undefined, { exitCode: 0 }]);
  });

  it("leaves busybox's sleep without a handler: PID 1 ignores the stop signal", () => {
    const plan = planProcess(image('busybox:1.36'), { command: ['sleep', '3600'] });
    expect([plan.exitAtMs, plan.exitCode, plan.onStopSignal]).toEqual([3_600_000, 0, undefined]);
  });

  it("stretches perl's 10 s of CPU over 20 s under a 500m limit, then prints pi and exits 0", () => {
    const perl = image('perl:5.34.0');
    const argv = { command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] };
    expect(planProcess(perl, argv).exitAtMs).toBe(10_000);
    const throttled = planProcess(perl, argv, { cpuQuota: 50_000, cpuPeriod: 100_000 });
    expect([throttled.exitAtMs, throttled.exitCode, throttled.output[0].atMs]).toEqual([20_000, 0, 20_000]);
    expect(throttled.output[0].line).toMatch(/^3\.14159/);
    expect(planProcess(perl, argv, { cpuQuota: 400_000, cpuPeriod: 100_000 }).exitAtMs).toBe(10_000);
  });

  it("reads stress's --vm and --vm-bytes as stress does, in powers of 1024", () => {
    const stress = image('polinux/stress');
    expect(planProcess(stress, { command: ['stress'], args: ['--vm', '1', '--vm-bytes', '250M', '--vm-hang', '1'] }).memoryBytes).toBe(262_144_000);
    expect(planProcess(stress, { command: ['stress'], args: ['--vm', '2', '--vm-bytes', '1G'] }).memoryBytes).toBe(2 * 1024 ** 3);
  });

  it('runs the pause container and the control-plane components until stopped, exiting 0 on SIGTERM', () => {
    const pause = planProcess(image('registry.k8s.io/pause:3.10'), {});
    expect([pause.argv, pause.exitAtMs, pause.onStopSignal]).toEqual([['/pause'], undefined, { exitCode: 0 }]);
  });

  it('reports a command the image does not have', () => {
    expect(planProcess(image('busybox'), { command: ['bash', '-c', 'true'] }).notFound).toBe('bash');
  });
});
