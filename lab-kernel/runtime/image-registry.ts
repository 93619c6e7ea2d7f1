import { normalizeImage } from './image-reference';

/**
 * The simulated registry: every image a cluster of the lab can pull, by its full reference,
 * with its size and what a container made from it does. The lab has no network to a real
 * registry; an image missing here fails to pull, as a wrong name or tag does on a real node.
 *
 *   findImage('nginx:1.27')   // => { reference: 'docker.io/library/nginx:1.27', sizeBytes: 72_195_292,
 *                             //      behaviour: { kind: 'server', port: 80, answer: ... } }
 *   findImage('nginx:9.9')    // => undefined (the runtime answers "not found")
 *
 * Sizes are the compressed sizes a runtime reports for linux/amd64 (`crictl images`), close to
 * the real ones and fixed, so that pull times and image garbage collection come out the same on
 * every run. Behaviours are what the simulated runtime makes a container of that image do: a
 * web server answers on its port; busybox runs its shell command; perl computes pi and exits;
 * stress holds the memory its arguments ask for (the docs' memory-limit example); pause and
 * the control-plane images run until they are stopped. An image may name the signal that
 * stops it (its Dockerfile's STOPSIGNAL: nginx's images stop with SIGQUIT, a graceful
 * shutdown, since late 2020, nginx/docker-nginx#377); SIGTERM otherwise.
 *
 * Every image named in a chapter, a grader scenario, a test manifest or a static pod is here
 * (image-registry.test.ts collects them), so no chapter meets an ErrImagePull it did not ask for.
 */
export type ImageBehaviour =
  /** Listens on `port` and answers each request with `answer` (nginx: its welcome page); prints `log` as it starts. */
  | { kind: 'server'; port: number; answer: string; log?: string[] }
  /** Runs its command and arguments as a shell would (`sleep 3600`, `sh -c "exit 3"`, `echo hi`); with none, exits 0 at once. */
  | { kind: 'shell' }
  /** Computes for `seconds` of CPU time, prints `output` and exits 0 (the docs' Job example, perl computing pi). */
  | { kind: 'compute'; seconds: number; output: string }
  /** Allocates the memory its arguments ask for (`--vm 1 --vm-bytes 150M`) and holds it until stopped (polinux/stress). */
  | { kind: 'stress' }
  /** Does nothing until stopped: the pause container that holds a pod's namespaces, a control-plane component. */
  | { kind: 'run-until-stopped'; what: string }
  /**
   * Kubernetes' HPA e2e image (test/images/resource-consumer): listens on `port`; each
   * `POST /ConsumeCPU?millicores=N&durationSec=S` starts a consume-cpu process that uses N
   * millicores for S seconds (runtime/resource-consumer.ts).
   */
  | { kind: 'resource-consumer'; port: number }
  /** Kubernetes' e2e test image: its subcommand (the first argument) picks what it does (agnhost.ts: serve-hostname, netexec, pause). */
  | { kind: 'agnhost' }
  /**
   * A cluster add-on's program (runtime/add-on-process.ts): what it does comes from the cluster
   * that runs the node, since it talks to the API server; prints `log` as it starts.
   */
  | { kind: 'add-on'; name: AddOnName; log?: string[] };

/** The add-ons whose images the registry holds. */
export type AddOnName = 'coredns' | 'ingress-nginx' | 'metrics-server' | 'kube-proxy';

export interface RegistryImage {
  /** The full reference: 'docker.io/library/nginx:1.27'. */
  reference: string;
  sizeBytes: number;
  behaviour: ImageBehaviour;
  /** The image's STOPSIGNAL, when not SIGTERM. */
  stopSignal?: 'SIGQUIT';
}

const NGINX_WELCOME = '<title>Welcome to nginx!</title>';
/** What nginx's /docker-entrypoint.sh prints before it execs nginx (images since 1.19). */
const NGINX_ENTRYPOINT_LOG = [
  '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
  '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
  '/docker-entrypoint.sh: Configuration complete; ready for start up',
];
const nginx = (tag: string, sizeBytes: number): RegistryImage => ({
  reference: `docker.io/library/nginx:${tag}`,
  sizeBytes,
  behaviour: { kind: 'server', port: 80, answer: NGINX_WELCOME, log: NGINX_ENTRYPOINT_LOG },
  stopSignal: 'SIGQUIT',
});
const component = (name: string, tag: string, sizeBytes: number): RegistryImage => ({
  reference: `registry.k8s.io/${name}:${tag}`,
  sizeBytes,
  behaviour: { kind: 'run-until-stopped', what: name },
});
const PI = '3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651328230664709384460955058223172535940812848111745028410270193852110555964462294895493038196';

export const REGISTRY: readonly RegistryImage[] = [
  nginx('latest', 72_195_292),
  nginx('1.27', 72_195_292),
  nginx('1.26', 71_023_714),
  nginx('1.25', 70_544_960),
  { reference: 'docker.io/library/nginx:1.14.2', sizeBytes: 44_708_492, behaviour: { kind: 'server', port: 80, answer: NGINX_WELCOME } },
  // The docs' rolling update target (`kubectl set image deployment/nginx-deployment nginx=nginx:1.16.1`); like 1.14.2 it predates the entrypoint lines and SIGQUIT.
  { reference: 'docker.io/library/nginx:1.16.1', sizeBytes: 51_030_575, behaviour: { kind: 'server', port: 80, answer: NGINX_WELCOME } },
  // The docs' StatefulSet (concepts/workloads/controllers/statefulset): a small nginx serving its welcome page (size approximate).
  { reference: 'registry.k8s.io/nginx-slim:0.24', sizeBytes: 24_500_000, behaviour: { kind: 'server', port: 80, answer: NGINX_WELCOME } },
  { reference: 'docker.io/library/busybox:latest', sizeBytes: 2_167_155, behaviour: { kind: 'shell' } },
  { reference: 'docker.io/library/busybox:1.36', sizeBytes: 2_155_000, behaviour: { kind: 'shell' } },
  // The docs' CronJob (application/job/cronjob.yaml): `date; echo Hello from the Kubernetes cluster`.
  { reference: 'docker.io/library/busybox:1.28', sizeBytes: 727_869, behaviour: { kind: 'shell' } },
  { reference: 'docker.io/library/perl:latest', sizeBytes: 345_730_914, behaviour: { kind: 'compute', seconds: 10, output: PI } },
  { reference: 'docker.io/library/perl:5.34.0', sizeBytes: 336_122_048, behaviour: { kind: 'compute', seconds: 10, output: PI } },
  { reference: 'docker.io/polinux/stress:latest', sizeBytes: 4_200_000, behaviour: { kind: 'stress' } },
  { reference: 'docker.io/library/fluentd:latest', sizeBytes: 40_188_110, behaviour: { kind: 'server', port: 24224, answer: '' } },
  // The docs' DaemonSet (controllers/daemonset.yaml) and its rolling update to v2.6.0: a log collector tailing /var/log, until stopped.
  { reference: 'quay.io/fluentd_elasticsearch/fluentd:v2.5.2', sizeBytes: 142_371_589, behaviour: { kind: 'run-until-stopped', what: 'fluentd' } },
  { reference: 'quay.io/fluentd_elasticsearch/fluentd:v2.6.0', sizeBytes: 144_115_277, behaviour: { kind: 'run-until-stopped', what: 'fluentd' } },
  { reference: 'example.com/ml/model-server:2.1', sizeBytes: 1_902_451_117, behaviour: { kind: 'server', port: 8080, answer: '{"status":"ready"}' } },
  // The HPA e2e test's workload (test/e2e/framework/autoscaling, test/images/resource-consumer); size approximate.
  { reference: 'registry.k8s.io/e2e-test-images/resource-consumer:1.13', sizeBytes: 11_500_000, behaviour: { kind: 'resource-consumer', port: 8080 } },
  // Kubernetes' e2e networking image (test/images/agnhost; the tag test/utils/image/manifest.go pins); size approximate.
  { reference: 'registry.k8s.io/e2e-test-images/agnhost:2.52', sizeBytes: 52_250_000, behaviour: { kind: 'agnhost' } },
  { reference: 'registry.k8s.io/pause:3.10', sizeBytes: 320_368, behaviour: { kind: 'run-until-stopped', what: 'pause' } },
  // The add-ons (runtime/add-on-process.ts): CoreDNS as kubeadm 1.32 installs it, ingress-nginx's controller and metrics-server (sizes approximate).
  { reference: 'registry.k8s.io/coredns/coredns:v1.11.3', sizeBytes: 18_562_039, behaviour: { kind: 'add-on', name: 'coredns', log: ['.:53', 'CoreDNS-1.11.3'] } },
  { reference: 'registry.k8s.io/ingress-nginx/controller:v1.11.3', sizeBytes: 105_416_028, behaviour: { kind: 'add-on', name: 'ingress-nginx' } },
  { reference: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', sizeBytes: 19_494_617, behaviour: { kind: 'add-on', name: 'metrics-server' } },
  // kubeadm's kube-proxy DaemonSet (cluster/kube-proxy-addon.ts), the control plane's version; size approximate.
  { reference: 'registry.k8s.io/kube-proxy:v1.32.0', sizeBytes: 30_900_000, behaviour: { kind: 'add-on', name: 'kube-proxy' } },
  component('etcd', '3.5.16-0', 57_429_484),
  component('kube-apiserver', 'v1.32.0', 28_667_216),
  component('kube-controller-manager', 'v1.32.0', 26_259_164),
  component('kube-scheduler', 'v1.32.0', 20_656_904),
];

const BY_REFERENCE = new Map(REGISTRY.map((image) => [image.reference, image]));

/** The image a reference names (completed as a runtime completes it), or undefined if the registry has none. */
export function findImage(reference: string): RegistryImage | undefined {
  try {
    return BY_REFERENCE.get(normalizeImage(reference));
  } catch {
    return undefined;
  }
}
