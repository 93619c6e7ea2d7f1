import { resourceFor } from '../api/resources';
import type { ClusterRoleBinding, Deployment, KubeObject, Pod, ServiceAccount } from '../api/types';
import { alwaysPullImagesPlugin } from '../apiserver/admission/always-pull-images';
import { AdmissionChain } from '../apiserver/admission/chain';
import { defaultStorageClassPlugin } from '../apiserver/admission/default-storage-class';
import { defaultTolerationSecondsPlugin } from '../apiserver/admission/default-toleration-seconds';
import { limitRangerPlugin } from '../apiserver/admission/limit-ranger';
import { namespaceLifecyclePlugin } from '../apiserver/admission/namespace-lifecycle';
import { priorityPlugin, systemPriorityClasses } from '../apiserver/admission/priority';
import { resourceQuotaPlugin } from '../apiserver/admission/resource-quota';
import { serviceAccountPlugin } from '../apiserver/admission/service-account';
import { ApiServer, API_SERVER, ETCD } from '../apiserver/api-server';
import { authenticate, issueServiceAccountToken, serviceAccountTokenAuthenticator, staticTokenAuthenticator, x509Authenticator, type StaticToken } from '../apiserver/auth/authenticators';
import { KUBERNETES_SERVICE } from '../apiserver/kubernetes-service';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from '../apiserver/auth/bootstrap-policy';
import { privilegedGroupsAuthorizer } from '../apiserver/auth/privileged-groups';
import { RbacAuthorizer } from '../apiserver/auth/rbac-authorizer';
import type { RbacPolicy } from '../apiserver/auth/rbac-contract';
import type { Credentials } from '../api/request';
import type { UserInfo } from '../apiserver/pipeline-types';
import { EncryptionTransformer, generateKey, type EncryptionConfiguration } from '../store/encryption';
import { LocalEtcd } from '../etcd/storage';
import { TransformingStorage } from '../apiserver/transforming-storage';
import { EtcdClient } from '../etcd/etcd-client';
import { EtcdCluster } from '../etcd/etcd-cluster';
import { Client } from '../client/client';
import type { Change } from '../client/retry-contract';
import { retryOnConflict, type RetryOutcome, type RetryTarget } from '../client/retry-runner';
import { REPLICASET_CONTROLLER } from '../controllers/replicaset-controller';
import { ControllerManager } from '../controllers/controller-manager';
import { LocalPathProvisioner, PROVISIONER_COMPONENT } from '../controllers/volume/local-path-provisioner';
import { Kubectl } from '../kubectl/kubectl';
import { Scheduler, SCHEDULER } from '../scheduler/scheduler';
import { Network } from '../sim/network';
import { Simulation } from '../sim/simulation';
import { formatEvent, type Trace } from '../sim/trace';
import { SLOT_IDS, type SlotId, type SlotSource, type SlotTypes } from '../slots/slots';
import { clusterGuard, exerciseCode } from './exercise-code';
import { MvccStore } from '../store/mvcc-store';
import { controlPlaneStaticPods } from './static-pods';
import { GpuDevicePlugin } from '../kubelet/gpu-device-plugin';
import { Kubelet } from '../kubelet/kubelet';
import { nodeHostIP } from '../kubelet/node-agent';
import { CpuConsumer } from './cpu-consumer';
import { CLUSTER_CIDR } from '../runtime/cni-bridge';
import type { ClusterOptions } from './cluster-options';
import { ClusterNetwork, type PodNetworkMode } from './pod-network';
import { hostGwRoutesOf, routeLookupOf } from '../net/route-lookup-contract';
import type { AddOnPrograms } from '../runtime/add-on-program';
import { ADD_ONS, addOnAvailable, addOnPrograms, type AddOn } from './add-ons';
import { aggregatedAPIService } from './service-api-backend';
export type { ClusterOptions } from './cluster-options';
import { defaultStorageObjects, PROVISIONER_USER } from './default-storage';
import { applyKubeProxy } from './kube-proxy-addon';
import { SimulatedCloud } from '../controllers/service/simulated-cloud';

/**
 * A whole simulated cluster: etcd, the API server, the controller manager and the scheduler
 * on a control-plane node, and a kubelet with its container runtime on every node.
 *
 *   const cluster = createCluster({ seed: 1, workers: 2 });
 *   cluster.apply(`apiVersion: apps/v1\nkind: ReplicaSet ...`);
 *   cluster.runFor(5_000);                       // five seconds of virtual time
 *   console.log(cluster.kubectl.get('pods').toString());
 *
 * Run a slot on your own code instead of the reference solution:
 *
 *   createCluster({ use: { replicaset: 'exercise' } })
 *
 * createCluster returns once the cluster has booted (nodes registered, caches synced,
 * control-plane pods running) and kubeadm's kube-proxy add-on runs on every node
 * (kube-proxy-addon.ts), a few seconds into virtual time.
 */

/**
 * Who each component is to the API server: the subject of its client certificate. These
 * are kubeadm's identities; the admin is kubeadm's admin.conf user since Kubernetes 1.29.
 */
export const ADMIN: UserInfo = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins'] };
const certificateOf = (user: UserInfo): Credentials => ({ clientCertificate: { commonName: user.username, organizations: user.groups } });

/** The ClusterRoleBinding kubeadm creates so that its admin user is a cluster-admin (without being in system:masters). */
function kubeadmAdminBinding(): ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'kubeadm:cluster-admins' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kubeadm:cluster-admins' }],
  };
}

export type ComponentRole = 'control plane' | 'node' | 'client';

export interface ComponentInfo {
  /** The name it has in the trace. */
  name: string;
  role: ComponentRole;
  /** The machine it runs on. */
  host: string;
  /** How it is run (T00.5): a static pod, a system service, a process on a laptop. */
  runsAs: string;
  what: string;
}

export const CONTROL_PLANE_NODE = 'control-plane';
export const CONTROLLER_MANAGER = 'kube-controller-manager';
export const KUBECTL = 'kubectl';
const BOOT_LIMIT_MS = 30_000;
/**
 * kube-controller-manager's node IPAM flags as kubeadm sets them for flannel
 * (--pod-network-cidr=10.244.0.0/16): --allocate-node-cidrs=true, --cluster-cidr, and the IPv4
 * default --node-cidr-mask-size of 24.
 */
const NODE_IPAM = { clusterCIDR: CLUSTER_CIDR, nodeCidrMaskSize: 24 };
/** An add-on's pods pull their image (CoreDNS's is about 18 MB) and pass their readiness probe. */
const ADD_ON_LIMIT_MS = 120_000;

export class Cluster {
  readonly sim: Simulation;
  readonly net: Network;
  /** The in-process etcd's store (when etcdMembers is left out). */
  readonly etcd: MvccStore;
  /** The replicated etcd (when etcdMembers is set). */
  readonly etcdCluster?: EtcdCluster;
  readonly apiServer: ApiServer;
  /** The API server's admission plugins: enable, disable or register your own. */
  readonly admission: AdmissionChain;
  /** Every kube-controller-manager process, the first one first (see controllerManagers in ClusterOptions). */
  readonly controllerManagers: readonly ControllerManager[];
  readonly scheduler: Scheduler;
  /** The default-storage add-on's provisioner (rancher.io/local-path, behind the StorageClass standard). */
  readonly provisioner: LocalPathProvisioner;
  readonly kubelets: Kubelet[];
  /** What the add-ons' images do in their pods (add-ons.ts), for every node's runtime. */
  private readonly addOnPrograms: AddOnPrograms;
  /** The machines and pods on the packet network, flannel's host-gw routes or vxlan tunnels between the nodes (pod-network.ts). */
  readonly network: ClusterNetwork;
  /** The GPU device plugin of each node that has GPUs (`gpus` in ClusterOptions, or joinNode's). */
  readonly gpuPlugins = new Map<string, GpuDevicePlugin>();
  private readonly imageFsBytes: number | undefined;
  readonly kubectl: Kubectl;
  /** Which code each slot runs. */
  readonly slots: Record<SlotId, SlotSource>;
  /** The functions the cluster runs in each slot: the reference's or yours, as `use` asked. */
  readonly code: SlotTypes;
  /** The reference of every slot (for components that borrow an exercise's logic, whoever runs it). */
  readonly reference: SlotTypes;
  /** The simulated cloud, in a cluster created with `cloud: true`. */
  readonly cloud?: SimulatedCloud;
  /** The key the API server signs service account tokens with. */
  private readonly signingKey: string;

  constructor(options: ClusterOptions = {}) {
    this.sim = new Simulation({ seed: options.seed ?? 1, guard: clusterGuard(options.slotTimeoutMs) });
    this.net = new Network(this.sim);
    this.slots = Object.fromEntries(SLOT_IDS.map((id) => [id, options.use?.[id] ?? 'solution'])) as Record<SlotId, SlotSource>;
    this.code = exerciseCode(this.slots, { timeoutMs: options.slotTimeoutMs });
    this.reference = exerciseCode({});
    const transformer = options.encryption === false ? undefined : new EncryptionTransformer(options.encryption ?? defaultEncryption(this.sim), this.sim.rng('apiserver/encryption'));
    this.etcd = new MvccStore({ versionAt: this.code['mvcc-read'] });
    this.signingKey = generateKey(this.sim.rng('apiserver/service-account-key'));

    if (options.etcdMembers !== undefined) {
      // One member is what leaving etcdMembers out gives: the in-process etcd.
      if (![3, 5, 7].includes(options.etcdMembers)) throw new RangeError(`etcdMembers must be 3, 5 or 7 (for a single etcd leave it out), got ${options.etcdMembers}`);
      this.etcdCluster = new EtcdCluster(this.sim, this.net, this.code['raft'], options.etcdMembers, this.code['mvcc-read']);
    }
    const etcd = this.etcdCluster ? new EtcdClient(this.sim, this.net, this.etcdCluster, API_SERVER) : new LocalEtcd(this.sim, this.etcd, API_SERVER);
    // Secrets are encrypted by the API server, before they travel to etcd.
    const storage = transformer === undefined ? etcd : new TransformingStorage(etcd, transformer);
    this.admission = new AdmissionChain([
      namespaceLifecyclePlugin(),
      limitRangerPlugin(),
      serviceAccountPlugin(),
      defaultTolerationSecondsPlugin(),
      alwaysPullImagesPlugin(),
      priorityPlugin(),
      defaultStorageClassPlugin(),
      resourceQuotaPlugin(this.code['resource-quota']),
    ]);
    // Made at the first request, once (kube-apiserver reads its token file when it starts).
    let authenticators: ReturnType<Cluster['authenticators']> | undefined;
    const api: ApiServer = new ApiServer(this.sim, this.net, storage, {
      authenticate: (credentials) => authenticate(credentials, (authenticators ??= this.authenticators(api, options.tokens ?? [])), true),
      authorizers: [privilegedGroupsAuthorizer, new RbacAuthorizer(this.code['rbac'], () => rbacPolicy(api))],
      admission: () => this.admission.plugins(),
    });
    this.apiServer = api;
    const client = (name: string, user: UserInfo) => this.client(name, user);
    const managers = options.controllerManagers ?? 1;
    if (!Number.isInteger(managers) || managers < 1) throw new RangeError(`controllerManagers must be a whole number of at least 1, got ${managers}`);
    const leaderElection = options.leaderElect === false ? undefined : { hostname: CONTROL_PLANE_NODE };
    if (options.cloud) this.cloud = new SimulatedCloud(this.sim);
    if (managers > 1 && leaderElection === undefined) throw new RangeError(`controllerManagers: ${managers} needs leader election: without it every instance would run every controller`);
    this.controllerManagers = Array.from({ length: managers }, (_, i) => {
      const name = i === 0 ? CONTROLLER_MANAGER : `${CONTROLLER_MANAGER}-${i + 1}`;
      return new ControllerManager(this.sim, client(name, { username: 'system:kube-controller-manager', groups: [] }), Object.assign({}, this.code, {
        'taint-toleration': this.reference['taint-toleration'],
        'node-affinity': this.reference['node-affinity'],
      }), { leaderElection, cloud: this.cloud, nodeIpam: NODE_IPAM });
    });
    this.scheduler = new Scheduler(this.sim, client(SCHEDULER, { username: 'system:kube-scheduler', groups: [] }), { code: this.code, reference: this.reference, leaderElection });
    this.provisioner = new LocalPathProvisioner(this.sim, client(PROVISIONER_COMPONENT, PROVISIONER_USER));
    const routing = this.code['route-lookup'];
    const code = { routeLookup: routeLookupOf(routing), hostGwRoutes: hostGwRoutesOf(routing), netfilterEval: this.code['netfilter-eval'] };
    this.network = new ClusterNetwork(this.sim, options.podNetwork === 'vxlan' ? { mode: 'vxlan', vxlanEncap: this.code['vxlan-encap'], ...code } : code);
    const nodeNames = [CONTROL_PLANE_NODE, ...Array.from({ length: options.workers ?? 2 }, (_, i) => `node-${i + 1}`)];
    this.imageFsBytes = options.imageFsBytes;
    const unknown = Object.keys(options.gpus ?? {}).filter((name) => !nodeNames.includes(name));
    if (unknown.length > 0) throw new RangeError(`gpus names nodes the cluster does not have: ${unknown.join(', ')} (its nodes: ${nodeNames.join(', ')})`);
    // Each add-on pod's program gets a client of its own, with its own latency stream like the node agents'.
    this.addOnPrograms = addOnPrograms({
      client: (component, user) => {
        this.net.ownLatencyStream(component);
        return this.client(component, user);
      },
      net: this.net,
      kubeletOf: (node) => this.kubelets.find((k) => k.node.name === node),
      kubeProxy: { iptablesRules: this.code['kube-proxy-iptables'], running: this.network.proxies },
    });
    this.kubelets = nodeNames.map((name, index) => this.newKubelet(name, index, options.gpus?.[name] ?? 0));
    this.kubectl = new Kubectl(this.sim, client(KUBECTL, ADMIN));

    this.apiServer.addHealthProbe({ name: 'etcd-0', component: ETCD, healthz: () => ({ healthy: true, message: '{"health":"true","reason":""}' }) });
    this.apiServer.addHealthProbe({ name: 'scheduler', component: SCHEDULER, healthz: () => health(this.scheduler.hasSynced()) });
    this.apiServer.addHealthProbe({ name: 'controller-manager', component: CONTROLLER_MANAGER, healthz: () => health(this.controllerManager.hasSynced()) });
    for (const k of this.kubelets) this.apiServer.registerKubelet(k.node.name, k);
    this.boot();
    applyKubeProxy(this, options.proxyMode);
    for (const addOn of options.addOns ?? []) this.installAddOn(addOn);
  }

  /**
   * Applies an add-on's manifest (add-ons.ts), as `kubectl apply -f` would (its APIServices,
   * which the lab's API server does not store, go to the aggregator), and runs the cluster
   * until its Deployment is available.
   *
   *   cluster.installAddOn('coredns');
   *   cluster.kubectl.get('pods', { namespace: 'kube-system' })   // coredns-... 1/1 Running, twice
   */
  installAddOn(addOn: AddOn): void {
    const { manifest, deployment, apiServices } = ADD_ONS[addOn];
    this.apply(manifest);
    const backendDeps = { sim: this.sim, cache: this.apiServer.cache, http: this.network.http(CONTROL_PLANE_NODE) };
    for (const s of apiServices ?? []) this.apiServer.registerAPIService(aggregatedAPIService(s, backendDeps));
    const available = () => addOnAvailable(this.apiServer.cache.get('deployments', deployment.namespace, deployment.name) as Deployment | undefined);
    if (!this.sim.runUntil(available, ADD_ON_LIMIT_MS)) throw new Error(`the ${addOn} add-on was not available within ${ADD_ON_LIMIT_MS} ms of virtual time${firstError(this.sim.trace)}`);
  }

  /**
   * A worker node joins the running cluster, as `kubeadm join` brings one: a machine of its
   * own (the next index: its own addresses and pod CIDR) whose kubelet registers its Node.
   *
   *   const kubelet = cluster.joinNode('node-3');
   *   cluster.runUntil(() => kubelet.isRegistered());   // the Node is there, Ready
   *   cluster.joinNode('gpu-1', { gpus: 4 });            // a machine with 4 GPUs
   */
  joinNode(name: string, machine: { gpus?: number } = {}): Kubelet {
    if (this.kubelets.some((k) => k.node.name === name)) throw new Error(`node ${name} is already in the cluster`);
    const kubelet = this.newKubelet(name, this.kubelets.length, machine.gpus ?? 0);
    this.kubelets.push(kubelet);
    this.apiServer.registerKubelet(name, kubelet);
    kubelet.start();
    this.network.startFlanneld(name);
    return kubelet;
  }

  /**
   * The stand-in for the HPA e2e test's consumer controller (cpu-consumer.ts): it keeps the
   * resource-consumer pods the selector picks busy with the CPU it is asked for.
   *   cluster.cpuConsumer({ selector: 'app=web' }).consumeCpu(250)
   */
  cpuConsumer(target: { namespace?: string; selector: string; port?: number }): CpuConsumer {
    const http = this.network.http(CONTROL_PLANE_NODE);
    return new CpuConsumer({ sim: this.sim, client: this.client('resource-consumer-ctrl'), http }, { namespace: target.namespace ?? 'default', selector: target.selector, port: target.port ?? 8080 });
  }

  /**
   * A machine's kubelet, on the code each of its exercise slots runs; the control plane's runs
   * its static pods. A machine with GPUs runs NVIDIA's device plugin, registered with the
   * kubelet from the start (as if its DaemonSet pod were already there).
   */
  private newKubelet(name: string, index: number, gpus: number): Kubelet {
    const controlPlane = name === CONTROL_PLANE_NODE;
    const client = this.client(`kubelet/${name}`, nodeUser(name));
    const code = { computePodActions: this.code['pod-actions'], probesAndRestarts: this.code['probes-and-restarts'], imageBackoff: this.reference['probes-and-restarts'], imageGC: this.code['image-gc'], hostLocalIpam: this.code['host-local-ipam'], dnsSearch: this.code['dns-search'] };
    // Add-ons' agents draw their own latencies: the rest of the cluster's messages arrive as they would without them.
    this.net.ownLatencyStream(`flanneld/${name}`);
    const machine = this.network.addMachine(name, nodeHostIP(index), this.client(`flanneld/${name}`, nodeUser(name)));
    const network = Object.assign({}, machine, { addOns: this.addOnPrograms });
    const kubelet = new Kubelet(this.sim, client, { name, index, controlPlane, imageFsBytes: this.imageFsBytes, network }, code, controlPlane ? controlPlaneStaticPods() : []);
    if (gpus !== 0) {
      const plugin = new GpuDevicePlugin(this.sim.rng(`nvidia-device-plugin/${name}`), gpus);
      const refused = plugin.start((request, endpoint) => kubelet.devices.register(request, endpoint));
      if (refused !== undefined) throw refused;
      this.gpuPlugins.set(name, plugin);
    }
    return kubelet;
  }

  get trace(): Trace {
    return this.sim.trace;
  }

  /**
   * kube-controller-manager: its controllers, and the informers they share. With several
   * processes, the one that holds the Lease now (or, while none does, the first).
   */
  get controllerManager(): ControllerManager {
    return this.controllerManagers.find((c) => c.isLeader()) ?? this.controllerManagers[0];
  }

  /** Virtual time now, in ms. */
  now(): number {
    return this.sim.now();
  }

  /** `kubectl apply` a YAML manifest (one or more documents). */
  apply(yamlText: string): string {
    return this.kubectl.apply(yamlText);
  }

  /** Lets `ms` of virtual time pass. */
  runFor(ms: number): void {
    this.sim.runFor(ms);
  }

  /** Runs until `done()` holds (checked after every event), for at most `limitMs`. */
  runUntil(done: () => boolean, limitMs = 60_000): boolean {
    return this.sim.runUntil(done, limitMs);
  }

  /**
   * A client of this cluster's API server, as `user` (default: the admin), whose informers
   * run the cluster's reflector code: for a component of your own.
   *
   *   const informer = new Informer(cluster.sim, cluster.client('my-controller'), { resource: 'pods' });
   */
  client(component: string, user: UserInfo = ADMIN): Client {
    return new Client(component, this.net, this.apiServer, { credentials: certificateOf(user), reflectorStep: this.code.reflector, relistDiff: this.code.relist });
  }

  /**
   * kubectl as someone else: its requests carry a client certificate for `user` (like a
   * kubeconfig made for them, or `kubectl --as`), so RBAC decides what they may do.
   *
   *   cluster.kubectlAs({ username: 'bob', groups: ['dev'] }).get('pods')
   *   // KubectlError: Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource "pods" ...
   */
  kubectlAs(user: UserInfo): Kubectl {
    return new Kubectl(this.sim, this.client(KUBECTL, user));
  }

  /** kubectl with a bearer token (a static token, or one from serviceAccountToken()). */
  kubectlWithToken(token: string): Kubectl {
    return new Kubectl(this.sim, new Client(KUBECTL, this.net, this.apiServer, { credentials: { token } }));
  }

  /** A token for a service account, as `kubectl create token <name>` would get one (valid 1 h). */
  serviceAccountToken(namespace: string, name: string): string {
    const sa = this.apiServer.cache.get('serviceaccounts', namespace, name);
    if (sa === undefined) throw new Error(`serviceaccounts "${name}" not found in namespace ${namespace}`);
    return issueServiceAccountToken(this.signingKey, namespace, name, sa.metadata.uid!, this.sim.now());
  }

  /**
   * client-go's retry.RetryOnConflict, as the admin: get, change, update with the
   * resourceVersion just read, and on 409 wait and start again — the loop of the
   * `retry-on-conflict` slot (your code with `use: { 'retry-on-conflict': 'exercise' }`).
   * Runs the simulation until it is done.
   *
   *   cluster.retryOnConflict({ resource: 'configmaps', namespace: 'default', name: 'hits' }, { kind: 'increment-data', key: 'count' })
   *   // => { kind: 'updated', object: the ConfigMap with count one higher }
   */
  retryOnConflict(target: RetryTarget, change: Change): RetryOutcome {
    let outcome: RetryOutcome | undefined;
    const step = this.code['retry-on-conflict'];
    retryOnConflict(this.sim, this.client(KUBECTL), target, change, step, (o) => (outcome = o));
    if (!this.sim.runUntil(() => outcome !== undefined, 60_000)) throw new Error(`retry on conflict: no outcome within 60 s of virtual time`);
    return outcome!;
  }

  /** Every component, where it runs and how (T00.1, T00.5). */
  components(): ComponentInfo[] {
    const cp = CONTROL_PLANE_NODE;
    const etcd: ComponentInfo[] = this.etcdCluster
      ? this.etcdCluster.names.map((name) => ({ name, role: 'control plane', host: name, runsAs: 'static pod', what: 'a member of the replicated store of cluster state' }))
      : [{ name: ETCD, role: 'control plane', host: cp, runsAs: 'static pod', what: 'the only store of cluster state' }];
    return [
      ...etcd,
      { name: API_SERVER, role: 'control plane', host: cp, runsAs: 'static pod', what: 'the only door to etcd; REST and watch for everyone else' },
      ...this.controllerManagers.map((c): ComponentInfo => ({
        name: c.component,
        role: 'control plane',
        host: cp,
        runsAs: 'static pod',
        what: c === this.controllerManager ? `runs the control loops (${REPLICASET_CONTROLLER})` : 'stands by for the Lease kube-system/kube-controller-manager',
      })),
      { name: SCHEDULER, role: 'control plane', host: cp, runsAs: 'static pod', what: 'assigns pods to nodes: filters and scores them with its plugins, then binds' },
      { name: PROVISIONER_COMPONENT, role: 'control plane', host: cp, runsAs: 'add-on (kind: a Deployment in local-path-storage)', what: 'makes a volume for each claim of the default StorageClass, and deletes it with its claim' },
      ...this.kubelets.flatMap((k): ComponentInfo[] => [
        { name: k.component, role: 'node', host: k.node.name, runsAs: 'system service (systemd)', what: 'runs the pods bound to its node on its container runtime' },
        { name: k.runtime, role: 'node', host: k.node.name, runsAs: 'system service (systemd)', what: 'container runtime, driven over CRI' },
        flanneldInfo(k.node.name, this.network.mode),
        { name: `kube-proxy/${k.node.name}`, role: 'node', host: k.node.name, runsAs: 'add-on (kind: a DaemonSet pod in kube-system, on the host network)', what: "keeps the node's iptables rules in step with Services and EndpointSlices" },
      ]),
      ...this.metricsServerPods().map((p): ComponentInfo => ({ name: `metrics-server/${p.metadata.name}`, role: 'control plane', host: p.spec.nodeName ?? '(not scheduled)', runsAs: 'add-on (a pod of the Deployment kube-system/metrics-server)', what: 'scrapes every kubelet every 15 s and serves the Metrics API (kubectl top) behind the APIService v1beta1.metrics.k8s.io' })),
      { name: KUBECTL, role: 'client', host: 'your laptop', runsAs: 'command-line tool', what: 'a client of the API server like any other' },
    ];
  }

  /** The metrics-server add-on's pods (metrics-server-addon.ts), if it is installed. */
  private metricsServerPods(): Readonly<Pod>[] {
    return (this.apiServer.cache.list('pods', 'kube-system') as Readonly<Pod>[]).filter((p) => p.metadata.labels?.['k8s-app'] === 'metrics-server');
  }

  /** kube-apiserver's authenticators, in its order: client certificates, static tokens, service account tokens. */
  private authenticators(api: ApiServer, tokens: StaticToken[]) {
    const lookup = (namespace: string, name: string) => api.cache.get('serviceaccounts', namespace, name) as ServiceAccount | undefined;
    return [x509Authenticator(), staticTokenAuthenticator(tokens), serviceAccountTokenAuthenticator(this.signingKey, lookup, () => this.sim.now())];
  }

  private boot(): void {
    if (this.etcdCluster !== undefined) {
      const etcd = this.etcdCluster;
      if (!this.sim.runUntil(() => etcd.leader() !== undefined, BOOT_LIMIT_MS)) throw new Error(`etcd elected no leader within ${BOOT_LIMIT_MS} ms of virtual time${firstError(this.sim.trace)}`);
    }
    // kind's default-storage add-on comes with them: its StorageClass and its provisioner's RBAC.
    const bootstrapObjects: KubeObject[] = [...bootstrapClusterRoles(), ...bootstrapClusterRoleBindings(), kubeadmAdminBinding(), ...systemPriorityClasses(), ...defaultStorageObjects()];
    this.apiServer.bootstrap(bootstrapObjects);
    // Like kube-apiserver's readiness, which waits for its RBAC bootstrap hook: components
    // start once the policy is in the API server's cache (at once with the in-process etcd,
    // after a few round trips with a replicated one).
    const policyReady = () => bootstrapObjects.every((o) => this.apiServer.cache.get(resourceFor(o.kind).resource, o.metadata.namespace, o.metadata.name!) !== undefined);
    if (!this.sim.runUntil(policyReady, BOOT_LIMIT_MS)) throw new Error(`the API server did not store its RBAC bootstrap policy within ${BOOT_LIMIT_MS} ms of virtual time${firstError(this.sim.trace)}`);
    this.sim.trace.action(this.sim.now(), API_SERVER, 'started; created namespaces default, kube-system, kube-public, kube-node-lease, the RBAC bootstrap policy, the system PriorityClasses and the default StorageClass standard');
    for (const k of this.kubelets) k.start();
    for (const k of this.kubelets) this.network.startFlanneld(k.node.name);
    // The first kube-controller-manager finds no Lease and creates it: it leads from boot.
    const [first, ...standbys] = this.controllerManagers;
    first.start();
    this.scheduler.start();
    this.provisioner.start();
    const staticPods = controlPlaneStaticPods().length;
    // Checked after every event of the boot: the per-node conditions remember how far they got.
    const kubeletsRegistered = everyLatched(this.kubelets, (k) => k.isRegistered());
    const podSubnetsAssigned = everyLatched(this.kubelets, (k) => k.node.network.podSubnet() !== undefined);
    const booted = () =>
      kubeletsRegistered() &&
      first.isLeader() &&
      first.hasSynced() &&
      this.apiServer.cache.get('serviceaccounts', 'default', 'default') !== undefined &&
      this.apiServer.cache.get('services', 'default', KUBERNETES_SERVICE) !== undefined &&
      this.scheduler.isLeader() &&
      this.scheduler.hasSynced() &&
      this.provisioner.hasSynced() &&
      podSubnetsAssigned() &&
      this.kubelets[0].pods.lister.list().filter((p) => p.status?.phase === 'Running').length === staticPods;
    if (!this.sim.runUntil(booted, BOOT_LIMIT_MS)) throw new Error(`the cluster did not boot within ${BOOT_LIMIT_MS} ms of virtual time${firstError(this.sim.trace)}`);
    // The others come up a moment later, find the Lease held, and stand by.
    for (const c of standbys) c.start();
  }
}

/**
 * `items.every(test)` for a condition that stays true once it holds (a kubelet registered, a
 * node given its pod CIDR): each item is tested until it passes, then not again, so asking
 * after every event costs the cluster's size once, not at every event.
 *
 *   const registered = everyLatched(kubelets, (k) => k.isRegistered());
 *   registered()   // => false while any kubelet has yet to register
 */
function everyLatched<T>(items: readonly T[], test: (item: T) => boolean): () => boolean {
  let passed = 0;
  return () => {
    while (passed < items.length && test(items[passed])) passed++;
    return passed === items.length;
  };
}

/** A node's flanneld, as its backend makes it (T00.5). */
function flanneldInfo(node: string, mode: PodNetworkMode): ComponentInfo {
  const what =
    mode === 'vxlan'
      ? "the pod network's agent, vxlan backend: flannel.1, and a route, neighbour and FDB entry per other node, so pod traffic crosses nodes wrapped in UDP"
      : "the pod network's agent, host-gw backend: a route per other node's pod CIDR via that node's address";
  return { name: `flanneld/${node}`, role: 'node', host: node, runsAs: 'add-on (a DaemonSet pod in kube-flannel on a real cluster)', what };
}

/** The RBAC objects in the API server's cache, as the authorizer reads them on every request. */
function rbacPolicy(api: ApiServer): RbacPolicy {
  const all = (resource: string) => api.cache.list(resource) as never[];
  return { roles: all('roles'), clusterRoles: all('clusterroles'), roleBindings: all('rolebindings'), clusterRoleBindings: all('clusterrolebindings') };
}

/** Secrets encrypted with AES-GCM under one key made from the seed (a real cluster's key comes from a file). */
function defaultEncryption(sim: Simulation): EncryptionConfiguration {
  const secret = generateKey(sim.rng('apiserver/encryption-key'));
  return { resources: [{ resources: ['secrets'], providers: [{ aesgcm: { keys: [{ name: 'key1', secret }] } }, { identity: {} }] }] };
}

/** `; first error: <time> <who>: <what>`, from the trace, or nothing. */
function firstError(trace: Trace): string {
  const e = trace.all().find((x) => x.kind === 'error');
  return e === undefined ? '' : `; first error: ${formatEvent(e).trim()}`;
}

/** A node's identity, as its kubelet's client certificate says it. */
function nodeUser(name: string): UserInfo {
  return { username: `system:node:${name}`, groups: ['system:nodes'] };
}

function health(ok: boolean): { healthy: boolean; message: string } {
  return ok ? { healthy: true, message: 'ok' } : { healthy: false, message: 'caches not synced yet' };
}

export function createCluster(options: ClusterOptions = {}): Cluster {
  return new Cluster(options);
}
