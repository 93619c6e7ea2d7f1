import { describe, expect, it } from 'vitest';
import { call, containerConfig, node, ok, runPod, sandboxConfig } from './containerd.fixture';
import { httpFrom, type HttpOutcome } from './node-network';

describe('the simulated containerd: CRI calls, states and errors', () => {
  it('answers Version as containerd 1.7 does', () => {
    const { sim, runtime } = node();
    expect(ok(sim, runtime, 'version', { version: 'v1' })).toEqual({ version: '0.1.0', runtimeName: 'containerd', runtimeVersion: '1.7.24', runtimeApiVersion: 'v1' });
  });

  it('runs a sandbox READY with an IP from the pod CIDR, keeping labels and annotations as given', () => {
    const { sim, runtime } = node(1, '10.244.1.0/24');
    const config = { ...sandboxConfig('web'), annotations: { 'kubernetes.io/config.source': 'api' } };
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config });
    expect(podSandboxId).toMatch(/^[0-9a-f]{64}$/);
    const { status } = ok(sim, runtime, 'podSandboxStatus', { podSandboxId });
    expect([status.state, status.network.ip, status.metadata, status.labels, status.annotations]).toEqual(['SANDBOX_READY', '10.244.1.2', config.metadata, config.labels, config.annotations]);
    expect(runtime.addresses()).toEqual([{ ip: '10.244.1.2', containerId: podSandboxId, ifname: 'eth0' }]);
  });

  it("fails a sandbox's network setup with the flannel plugin's subnet.env error while the node has no pod subnet yet", () => {
    const { sim, runtime } = node(1, undefined, { noSubnetYet: true });
    const { err } = call(sim, runtime, 'runPodSandbox', { config: sandboxConfig('web') });
    expect(err?.message).toMatch(/^rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="flannel" failed \(add\): failed to load flannel 'subnet.env' file: open \/run\/flannel\/subnet.env: no such file or directory. Check the flannel pod log for this node.$/);
  });

  it('stops a sandbox NOTREADY, its IP released; stop and remove again are no error; a removed one is NotFound', () => {
    const { sim, runtime } = node();
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config: sandboxConfig('web') });
    ok(sim, runtime, 'stopPodSandbox', { podSandboxId });
    const { status } = ok(sim, runtime, 'podSandboxStatus', { podSandboxId });
    expect([status.state, status.network.ip, runtime.addresses()]).toEqual(['SANDBOX_NOTREADY', '', []]);
    ok(sim, runtime, 'stopPodSandbox', { podSandboxId });
    ok(sim, runtime, 'removePodSandbox', { podSandboxId });
    ok(sim, runtime, 'removePodSandbox', { podSandboxId });
    expect(call(sim, runtime, 'podSandboxStatus', { podSandboxId }).err?.message).toBe('rpc error: code = NotFound desc = an error occurred when try to find sandbox: not found');
    expect(ok(sim, runtime, 'listPodSandbox', {}).items).toEqual([]);
  });

  it('refuses a second sandbox of the same pod and attempt until the first is removed', () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('web', { uid: 'a1b2' });
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config });
    expect(call(sim, runtime, 'runPodSandbox', { config }).err?.desc).toBe(
      `failed to reserve sandbox name "web_default_a1b2_0": name "web_default_a1b2_0" is reserved for "${podSandboxId}"`,
    );
    expect(call(sim, runtime, 'runPodSandbox', { config: { ...config, metadata: { ...config.metadata, attempt: 1 } } }).err).toBeUndefined();
    ok(sim, runtime, 'removePodSandbox', { podSandboxId });
    expect(call(sim, runtime, 'runPodSandbox', { config }).err).toBeUndefined();
  });

  it('takes a container from CREATED to RUNNING to EXITED, with its times, code and reason', () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('job');
    ok(sim, runtime, 'pullImage', { image: { image: 'busybox:1.36' } });
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config });
    const c = containerConfig('work', 'busybox:1.36', { command: ['sh', '-c', 'sleep 2; exit 3'] });
    const { containerId } = ok(sim, runtime, 'createContainer', { podSandboxId, config: c, sandboxConfig: config });
    const status = () => ok(sim, runtime, 'containerStatus', { containerId }).status;
    const created = status();
    expect([created.state, created.startedAt, created.finishedAt, created.exitCode]).toEqual(['CONTAINER_CREATED', undefined, undefined, undefined]);
    ok(sim, runtime, 'startContainer', { containerId });
    const running = status();
    expect([running.state, running.startedAt! > created.createdAt, running.finishedAt]).toEqual(['CONTAINER_RUNNING', true, undefined]);
    sim.runFor(2000);
    const exited = status();
    expect([exited.state, exited.exitCode, exited.reason, exited.finishedAt! - exited.startedAt!]).toEqual(['CONTAINER_EXITED', 3, 'Error', 2000]);
    expect(sim.trace.all().filter((e) => e.actor === 'containerd/node-1').map((e) => e.summary).at(-1)).toBe(`container work (${containerId.slice(0, 13)}) exited with code 3`);
  });

  it('reports Completed for exit code 0, and the image by its tag and digest as containerd does', () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('once'), [containerConfig('once', 'busybox:1.36', { command: ['true'] })]);
    const { status } = ok(sim, runtime, 'containerStatus', { containerId: ids[0] });
    expect([status.state, status.exitCode, status.reason, status.image.image]).toEqual(['CONTAINER_EXITED', 0, 'Completed', 'docker.io/library/busybox:1.36']);
    expect(status.imageRef).toMatch(/^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['StartContainer of a running container', 'running', 'Unknown', 'failed to set starting state for container "<id>": container is in CONTAINER_RUNNING state'],
    ['StartContainer of an exited container', 'exited', 'Unknown', 'failed to set starting state for container "<id>": container is in CONTAINER_EXITED state'],
    ['StartContainer of an unknown ID', 'unknown', 'NotFound', 'an error occurred when try to find container "<id>": not found'],
  ])('refuses %s', (_, which, code, desc) => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('p'), [containerConfig('a', 'busybox:1.36', { command: ['sleep', '60'] }), containerConfig('b', 'busybox:1.36', { command: ['true'] })]);
    const id = { running: ids[0], exited: ids[1], unknown: 'nope' }[which]!;
    const { err } = call(sim, runtime, 'startContainer', { containerId: id });
    expect([err?.code, err?.desc]).toEqual([code, desc.replace('<id>', id)]);
  });

  it('answers ContainerStatus of an unknown ID NotFound, and StopContainer and RemoveContainer of it with no error', () => {
    const { sim, runtime } = node();
    expect(call(sim, runtime, 'containerStatus', { containerId: 'nope' }).err?.message).toBe('rpc error: code = NotFound desc = an error occurred when try to find container "nope": not found');
    expect(call(sim, runtime, 'stopContainer', { containerId: 'nope', timeout: 2 }).err).toBeUndefined();
    expect(call(sim, runtime, 'removeContainer', { containerId: 'nope' }).err).toBeUndefined();
  });

  it('fails StartContainer in a stopped sandbox, leaving the container EXITED with 128 and StartError', () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('p');
    ok(sim, runtime, 'pullImage', { image: { image: 'busybox:1.36' } });
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config });
    const { containerId } = ok(sim, runtime, 'createContainer', { podSandboxId, config: containerConfig('a', 'busybox:1.36', { command: ['sleep', '60'] }), sandboxConfig: config });
    ok(sim, runtime, 'stopPodSandbox', { podSandboxId });
    const { err } = call(sim, runtime, 'startContainer', { containerId });
    expect(err?.message).toBe(`rpc error: code = Unknown desc = sandbox container "${podSandboxId}" is not running`);
    const { status } = ok(sim, runtime, 'containerStatus', { containerId });
    expect([status.state, status.exitCode, status.reason, status.message]).toEqual(['CONTAINER_EXITED', 128, 'StartError', `sandbox container "${podSandboxId}" is not running`]);
  });

  it('refuses CreateContainer in a stopped or unknown sandbox, and a name already taken in the sandbox', () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('p', { uid: 'u1' });
    ok(sim, runtime, 'pullImage', { image: { image: 'busybox:1.36' } });
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config });
    const c = containerConfig('a', 'busybox:1.36');
    const { containerId } = ok(sim, runtime, 'createContainer', { podSandboxId, config: c, sandboxConfig: config });
    expect(call(sim, runtime, 'createContainer', { podSandboxId, config: c, sandboxConfig: config }).err?.desc).toBe(
      `failed to reserve container name "a_p_default_u1_0": name "a_p_default_u1_0" is reserved for "${containerId}"`,
    );
    expect(call(sim, runtime, 'createContainer', { podSandboxId: 'nope', config: c, sandboxConfig: config }).err?.message).toBe('rpc error: code = NotFound desc = failed to find sandbox id "nope": not found');
    ok(sim, runtime, 'stopPodSandbox', { podSandboxId });
    const again = { ...c, metadata: { name: 'a', attempt: 1 } };
    expect(call(sim, runtime, 'createContainer', { podSandboxId, config: again, sandboxConfig: config }).err?.message).toBe(
      `rpc error: code = NotFound desc = failed to get sandbox container task: no running task found: task ${podSandboxId} not found: not found`,
    );
  });

  it('fails to start a command the image does not have, as runc reports it', () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('p');
    ok(sim, runtime, 'pullImage', { image: { image: 'busybox:1.36' } });
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config });
    const { containerId } = ok(sim, runtime, 'createContainer', { podSandboxId, config: containerConfig('a', 'busybox:1.36', { command: ['bash'] }), sandboxConfig: config });
    expect(call(sim, runtime, 'startContainer', { containerId }).err?.desc).toBe(
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown',
    );
    expect(ok(sim, runtime, 'containerStatus', { containerId }).status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 128, reason: 'StartError' });
  });

  it('kills a running container it is asked to remove (137), then frees its name', () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('p'), [containerConfig('a', 'busybox:1.36', { command: ['sleep', '60'] })]);
    ok(sim, runtime, 'removeContainer', { containerId: ids[0] });
    expect(sim.trace.all().map((e) => e.summary)).toContain(`container a (${ids[0].slice(0, 13)}) exited with code 137`);
    expect(ok(sim, runtime, 'listContainers', {}).containers).toEqual([]);
  });

  it('sends the stop signal once for two StopContainer calls, and answers both when the container is gone', () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('p'), [containerConfig('a', 'busybox:1.36', { command: ['sleep', '3600'] })]);
    const answered: number[] = [];
    const start = sim.now();
    runtime.stopContainer({ containerId: ids[0], timeout: 30 }, () => answered.push(sim.now() - start));
    sim.runFor(1000);
    runtime.stopContainer({ containerId: ids[0], timeout: 2 }, () => answered.push(sim.now() - start));
    sim.runFor(60_000);
    expect(answered.map((ms) => Math.floor(ms / 100) * 100)).toEqual([3000, 3000]);
    expect(sim.trace.all().filter((e) => e.summary.startsWith('sent ')).map((e) => e.summary.split(' to ')[0])).toEqual(['sent SIGTERM', 'sent SIGKILL']);
  });

  it('lists containers by sandbox, state and label', () => {
    const { sim, runtime } = node();
    const one = runPod(sim, runtime, sandboxConfig('one'), [containerConfig('a', 'busybox:1.36', { command: ['sleep', '60'], labels: { app: 'a' } }), containerConfig('b', 'busybox:1.36', { command: ['true'] })]);
    runPod(sim, runtime, sandboxConfig('two'), [containerConfig('c', 'busybox:1.36', { command: ['sleep', '60'] })]);
    const names = (filter: object) => ok(sim, runtime, 'listContainers', { filter }).containers.map((c) => c.metadata.name).sort();
    expect(names({})).toEqual(['a', 'b', 'c']);
    expect(names({ podSandboxId: one.sandboxId })).toEqual(['a', 'b']);
    expect(names({ state: 'CONTAINER_RUNNING' })).toEqual(['a', 'c']);
    expect(names({ labelSelector: { app: 'a' } })).toEqual(['a']);
  });

  it('writes what a container prints to its log file in the CRI format', () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('hello', { uid: 'u1' });
    const { ids } = runPod(sim, runtime, config, [containerConfig('hello', 'busybox:1.36', { command: ['sh', '-c', 'echo "Hello, $WHO"; sleep 1; echo bye'], envs: [{ key: 'WHO', value: 'Kubernetes' }] })]);
    sim.runFor(2000);
    const { status } = ok(sim, runtime, 'containerStatus', { containerId: ids[0] });
    expect(status.logPath).toBe('/var/log/pods/default_hello_u1/hello/0.log');
    const lines = runtime.readLog(status.logPath)!;
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['stdout F Hello, Kubernetes', 'stdout F bye']);
    expect(lines[0]).toMatch(/^2025-01-01T00:00:\d\d(\.\d{1,3})?Z stdout F /);
  });

  it("runs ExecSync in the pod's namespaces: the pod's hostname, nginx on localhost from a sidecar", () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('web'), [containerConfig('nginx', 'nginx:1.27'), containerConfig('sidecar', 'busybox:1.36', { command: ['sleep', '3600'] })]);
    const exec = (cmd: string[]) => ok(sim, runtime, 'execSync', { containerId: ids[1], cmd, timeout: 5 });
    expect(exec(['hostname'])).toEqual({ stdout: 'web\n', stderr: '', exitCode: 0 });
    expect(exec(['wget', '-qO-', 'http://localhost:80/'])).toEqual({ stdout: '<title>Welcome to nginx!</title>\n', stderr: '', exitCode: 0 });
    expect(exec(['sh', '-c', 'exit 7']).exitCode).toBe(7);
  });

  it('fails ExecSync past its timeout with DeadlineExceeded, and in a container that is not running', () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('p'), [containerConfig('a', 'busybox:1.36', { command: ['sleep', '3600'] }), containerConfig('b', 'busybox:1.36', { command: ['true'] })]);
    const slow = call(sim, runtime, 'execSync', { containerId: ids[0], cmd: ['sleep', '10'], timeout: 1 });
    expect([slow.err?.code, slow.err?.desc]).toEqual(['DeadlineExceeded', 'failed to exec in container: timeout 1s exceeded: context deadline exceeded']);
    expect(call(sim, runtime, 'execSync', { containerId: ids[1], cmd: ['true'] }).err?.desc).toBe('failed to exec in container: container is in CONTAINER_EXITED state');
  });

  it("lets ExecSync read the files the container's process writes and removes, at the time it does", () => {
    const { sim, runtime } = node();
    const { ids } = runPod(sim, runtime, sandboxConfig('liveness'), [containerConfig('liveness', 'busybox:1.36', { command: ['sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'] })]);
    const cat = () => ok(sim, runtime, 'execSync', { containerId: ids[0], cmd: ['cat', '/tmp/healthy'], timeout: 1 });
    sim.runFor(1_000);
    expect(cat()).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    sim.runFor(30_000);
    expect(cat()).toEqual({ stdout: '', stderr: "cat: can't open '/tmp/healthy': No such file or directory\n", exitCode: 1 });
    ok(sim, runtime, 'execSync', { containerId: ids[0], cmd: ['touch', '/tmp/healthy'], timeout: 1 });
    expect(cat().exitCode).toBe(0);
  });

  it("answers a request from the node to a pod's IP and port over the network: what a listening process answers, a refusal on a closed port, nothing for an unknown IP", () => {
    const { sim, runtime } = node();
    runPod(sim, runtime, sandboxConfig('web'), [containerConfig('nginx', 'nginx:1.27')]);
    const ip = runtime.addresses()[0].ip;
    const get = (to: string, port: number) => {
      let outcome: HttpOutcome | undefined;
      httpFrom(runtime.network.net, runtime.network.host)(to, port, { method: 'GET', path: '/' }, 1000, (o) => (outcome = o));
      sim.runUntil(() => outcome !== undefined, 2_000);
      return outcome;
    };
    expect(get(ip, 80)).toEqual({ code: 200, body: '<title>Welcome to nginx!</title>' });
    expect(get(ip, 8080)).toBe('ECONNREFUSED');
    expect(get('10.244.0.99', 80)).toBe('EHOSTUNREACH');
  });

  it('runs wget in a pod over the network: to another pod by its IP, to its own server on localhost, and waits for the answer in virtual time', () => {
    const { sim, runtime } = node();
    runPod(sim, runtime, sandboxConfig('web'), [containerConfig('nginx', 'nginx:1.27')]);
    const { ids } = runPod(sim, runtime, sandboxConfig('client'), [containerConfig('shell', 'busybox:1.36', { command: ['sleep', '3600'] })]);
    const web = runtime.addresses()[0].ip;
    const exec = (cmd: string[]) => call(sim, runtime, 'execSync', { containerId: ids[0], cmd, timeout: 5 });
    const start = sim.now();
    const fetched = exec(['wget', '-qO-', `http://${web}/`]);
    expect(fetched.res).toEqual({ stdout: '<title>Welcome to nginx!</title>\n', stderr: '', exitCode: 0 });
    expect(fetched.at - start).toBeGreaterThan(10); // the exec's own 10-30 ms, then the round trip through cni0
    expect(exec(['wget', '-qO-', 'http://localhost:80/']).res?.stderr).toBe("wget: can't connect to remote host (127.0.0.1): Connection refused\n");
    expect(exec(['sh', '-c', `wget -qO- http://${web}:81/ || echo down`]).res).toEqual({ stdout: 'down\n', stderr: `wget: can't connect to remote host (${web}): Connection refused\n`, exitCode: 0 });
  });

  it('gives a hostNetwork sandbox no IP and no CNI: it is in the node\'s namespaces', () => {
    const { sim, runtime } = node();
    const config = sandboxConfig('etcd', { namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' } });
    const { podSandboxId } = ok(sim, runtime, 'runPodSandbox', { config });
    const { status } = ok(sim, runtime, 'podSandboxStatus', { podSandboxId });
    expect([status.network.ip, status.linux.namespaces.options.network, runtime.addresses()]).toEqual(['', 'NODE', []]);
    expect(runtime.tree().pods[0].processes[0].namespaces.net).toBe('net:[4026531840]');
  });
});
