/**
 * kubelab's kernel: everything a chapter notebook or a test needs, from one import.
 *
 *   import { createCluster, showMermaid, sequenceDiagram } from './lab-kernel/index';
 *
 * (Notebooks import `./lab-kernel/index`, with /index: tslab cannot import a folder.)
 */
export { createCluster, Cluster, CONTROL_PLANE_NODE, CONTROLLER_MANAGER, KUBECTL } from './cluster/cluster';
export type { ClusterOptions, ComponentInfo } from './cluster/cluster';
export { implementation, raftCluster, slotGuard } from './cluster/exercise-code';
export { Simulation } from './sim/simulation';
export { Network } from './sim/network';
export { SimDisk } from './sim/disk';
export { Machines } from './sim/machines';
export { Rng } from './sim/rng';
export { Trace, formatEvent, formatTime } from './sim/trace';
export type { TraceEvent } from './sim/trace';
export { MvccStore } from './store/mvcc-store';
export type { KeyValue, StoreEvent, Compare, TxnOp, TxnResult, RangeResult } from './store/mvcc-store';
export { keyRevisions } from './store/key-revisions';
export { etcdctlTxn, txnOutcome } from './store/txn-view';
export type { Txn } from './store/txn-view';
export { recordWatch, describeStoreEvents } from './store/watch-recorder';
export type { RecordedWatch, WatchCall } from './store/watch-recorder';
export { LeaseElection } from './store/lease-election';
export type { Campaign } from './store/lease-election';
export { compareVersionAt, describeVersion, VERSION_AT_HISTORY, VERSION_AT_REVISIONS } from './store/version-at-cases';
export type { KeyRevision, VersionAt } from './store/version-at-contract';
export { StoreError, ERR_COMPACTED, ERR_FUTURE_REV } from './store/store-errors';
export { Lessor } from './store/lessor';
export { EncryptionTransformer, EncryptionError, generateKey, hexdump, storedBytes } from './store/encryption';
export type { EncryptionConfiguration, EncryptionProvider } from './store/encryption';
export { encryptionConfig, aescbcWith, aesgcmWith, encryptionConfigYaml } from './store/encryption-config';
export { atRestView } from './store/at-rest-view';
export { keysInUse } from './store/keys-in-use';
export { EtcdCluster } from './etcd/etcd-cluster';
export { ERR_NO_LEADER, ERR_TIMEOUT } from './etcd/etcd-api';
export { etcdctlGet } from './etcd/etcdctl';
export { RaftCluster, RaftCheckFailure, ELECTION_TIMEOUT_MS, ONE_TIMEOUT_MS } from './raft/raft-cluster';
export type { RaftClusterOptions } from './raft/raft-cluster';
export { RaftPeer, TICK_MS, describeMessage } from './raft/raft-peer';
export { Timeline } from './raft/timeline';
export { memberLogs, persistedLog, recordApplies } from './raft/log-view';
export type { MemberLog } from './raft/log-view';
export { raftLines, raftMessages, votesByTerm } from './raft/trace-views';
export type { CandidateVotes } from './raft/trace-views';
export { figure8 } from './raft/figure8';
export { logOf, nodeFromDisk, deliver, describeAnswer, writeSurvives } from './raft/experiments';
export type { DiskByHand } from './raft/experiments';
export type { Figure8Run, Figure8Stage } from './raft/figure8';
export { message as raftMessage, DEFAULT_ELECTION_TICK, DEFAULT_HEARTBEAT_TICK } from './raft/types';
export type {
  Entry as RaftEntry,
  Message as RaftMessage,
  MessageType as RaftMessageType,
  Status as RaftStatus,
  Config as RaftConfig,
  Snapshot as RaftSnapshot,
  HardState,
  PersistedState,
  Ready,
  RaftNode,
  NewRaft,
} from './raft/types';
export { ApiServer, API_SERVER, ETCD } from './apiserver/api-server';
export { Kubectl, KubectlError, parseManifests } from './kubectl/kubectl';
export { readModifyWrite } from './kubectl/read-modify-write';
export { concurrentIncrements } from './kubectl/concurrent-increments';
export { servedVsStored } from './apiserver/served-vs-stored';
export { Table } from './kubectl/table';
export type { TopOptions } from './kubectl/top';
export { MetricsServer } from './metrics-server/metrics-server';
export type { Summary, NodeStats, PodStats } from './api/stats-summary';
export { selectorMatches, parseSelector } from './api/labels';
export { storageKey, parseStorageKey, resourceFor } from './api/resources';
export { timestamp, microTimestamp, age } from './api/time';
export type * from './api/types';
export { loadSlot, SlotError } from './slots/slots';
export { podFromTemplate } from './controllers/replicaset-contract';
export { componentDiagram, sequenceDiagram } from './viz/diagrams';
export { mermaidBundle, showMermaid, showHtml, showTable } from './viz/display';
export { showLogs, showLogStages, logMatrixHtml, logStagesHtml, LOG_MATRIX_LEGEND } from './viz/log-matrix';
export type { LogMatrixOptions } from './viz/log-matrix';
export { fitGanttLabels } from './viz/gantt-labels';
export { traceQuery } from './viz/trace-query';
export type { TraceFilter } from './viz/trace-query';
export { watchWindowDiagram, informerPipelineDiagram, tooOldVersions } from './viz/watch-diagrams';
export { edgeCounter, levelCounter } from './client/pod-counters';
export type { CounterTarget, EdgeCounter, LevelCounter } from './client/pod-counters';
export { compareReflectorSteps, describeStepResult, REFLECTOR_CASES } from './client/reflector-cases';
export { compareRelistDiffs, describeNotifications, RELIST_CASES } from './client/relist-cases';
export {
  authenticate,
  x509Authenticator,
  staticTokenAuthenticator,
  serviceAccountTokenAuthenticator,
  issueServiceAccountToken,
  serviceAccountUsername,
} from './apiserver/auth/authenticators';
export type { Authenticator, AuthenticatorAnswer, StaticToken } from './apiserver/auth/authenticators';
export { RbacAuthorizer } from './apiserver/auth/rbac-authorizer';
export { forbiddenReason, forbiddenByAuthorization } from './apiserver/auth/forbidden';
export { bootstrapPolicy, bootstrapClusterRoles, bootstrapClusterRoleBindings } from './apiserver/auth/bootstrap-policy';
export type { RbacPolicy, AuthorizeRbac } from './apiserver/auth/rbac-contract';
export {
  AdmissionChain,
  runAdmission,
  describeAdmission,
  forbiddenByAdmission,
  fixedAdmissionContext,
  admissionRequestFor,
  ADMISSION_PLUGIN_ORDER,
  DEFAULT_ADMISSION_ORDER,
} from './apiserver/admission/chain';
export type { AdmissionPhase, AdmissionStep, AdmissionResult } from './apiserver/admission/chain';
export { namespaceLifecyclePlugin, IMMORTAL_NAMESPACES } from './apiserver/admission/namespace-lifecycle';
export { serviceAccountPlugin } from './apiserver/admission/service-account';
export { defaultTolerationSecondsPlugin } from './apiserver/admission/default-toleration-seconds';
export { alwaysPullImagesPlugin } from './apiserver/admission/always-pull-images';
export type { AdmissionPlugin, AdmissionRequest, AdmissionContext, AdmissionOperation } from './apiserver/pipeline-types';
// Chapter 03's helpers: one request's trace through the pipeline, and the plumbing of its experiments.
export { tracedRequest, stagesOf, stageLine, pipelineRows } from './viz/request-trace';
export type { TracedAnswer } from './viz/request-trace';
export { askEach, answerGrid } from './viz/ask-each';
export type { CallerAnswer } from './viz/ask-each';
export { httpLog, httpRequestLine, HTTP_METHOD } from './kubectl/http-log';
export type { HttpLog, HttpLogRow } from './kubectl/http-log';
export { answerLine } from './client/answer-line';
export { sendTogether } from './client/send-together';
export { raceRetries, describeRetryOutcome } from './client/retry-race';
export { nginxPod } from './api/nginx-pod';
export type { NginxPod } from './api/nginx-pod';
export { pagedList } from './viz/list-pages';
export type { PageRow } from './viz/list-pages';
export { openedWatches, watchesByResource } from './viz/watch-counts';
export type { OpenedWatches } from './viz/watch-counts';
export { compareRbac, RBAC_CASES } from './apiserver/auth/rbac-cases';
export type { RbacCase } from './apiserver/auth/rbac-cases';
export { ServiceAccountController } from './controllers/serviceaccount-controller';
export { NamespaceController, deletionConditions } from './controllers/namespace-controller';
export { INITIAL_REFLECTOR_STATE } from './client/reflector-contract';
export type { ReflectorAction, ReflectorInput, ReflectorPhase, ReflectorState, ReflectorStep, ReflectorStepResult } from './client/reflector-contract';
export { DEFAULT_RETRY, initialRetryState } from './client/retry-contract';
export type { Change as RetryChange, RetryAction, RetryBackoff, RetryInput, RetryPhase, RetryState, RetryStep, RetryStepResult } from './client/retry-contract';
export { retryOnConflict } from './client/retry-runner';
export type { RetryOutcome, RetryTarget } from './client/retry-runner';
export { EventRecorder, referenceTo, eventName, objectOf, MAX_TRIES_PER_EVENT, RETRY_SLEEP_MS } from './client/event-recorder';
export type { CoreEvent, EventSource, EventType } from './client/core-event';
export { EventCorrelator, COMBINED_PREFIX, AGGREGATE_MAX_EVENTS, AGGREGATE_INTERVAL_MS, SPAM_BURST, SPAM_REFILL_MS } from './client/event-correlator';
export { printEvents } from './kubectl/events-printer';
export {
  parseQuantity,
  formatQuantity,
  canonicalQuantity,
  isQuantity,
  compareQuantities,
  addQuantities,
  subtractQuantities,
  milliValue,
  value as quantityValue,
  QuantityError,
  ZERO_QUANTITY,
} from './api/quantity';
export type { Quantity, QuantityFormat } from './api/quantity';
export { limitRangerPlugin, LIMIT_RANGER_ANNOTATION } from './apiserver/admission/limit-ranger';
export { resourceQuotaPlugin } from './apiserver/admission/resource-quota';
export { podUsage, unspecifiedResources, usageOf, objectCountNames, addResourceLists } from './apiserver/admission/resource-quota-contract';
export type { EvaluateQuota, QuotaInput, QuotaDecision } from './apiserver/admission/resource-quota-contract';
export { ResourceQuotaController, calculateUsage, RESOURCE_QUOTA_SYNC_PERIOD_MS } from './controllers/resourcequota-controller';
export { Client } from './client/client';
export { findResource } from './api/resources';
export { requestPath, describeRequest } from './api/request';
export type { ApiRequest, ApiResponse, Credentials } from './api/request';
export type { ApiTransport, WatchSink, WatchError } from './api/transport';
export { Informer, Lister } from './client/informer';
export type { EventHandlers, DeleteState } from './client/informer';
export { Indexer } from './client/store';
export { WorkQueue } from './client/work-queue';
export { LeaderElector, electionIdentity, LEASE_NAMESPACE } from './client/leader-elector';
export type { LeaderElectorOptions } from './client/leader-elector';
export { decide as decideLeaderElection, optimisticRenewal, DEFAULT_ELECTION_TIMINGS, JITTER_FACTOR } from './client/leader-election';
export type { ElectionDecision, ElectionInput, ElectionTimings, LeaderElectionRecord, Observation as LeaderElectionObservation } from './client/leader-election';
export { ControllerManager } from './controllers/controller-manager';
export { runWorker } from './client/controller-runner';
export type { ReconcileOutcome } from './client/controller-runner';
export { defaultControllerRateLimiter, ItemExponentialFailureRateLimiter, BucketRateLimiter, MaxOfRateLimiter } from './client/rate-limiter';
export { ExponentialBackoff, REFLECTOR_BACKOFF } from './client/backoff';
export { MIN_WATCH_TIMEOUT_MS } from './client/reflector';
export { WATCH_CACHE_DEFAULTS } from './apiserver/watch-cache';
export { objectKey } from './api/resources';
export { nodeInfoFor, podRequests, nonZeroRequests, addPod, removePod, allocatableOf, resourceOf } from './scheduler/node-info';
export { defaultNormalizeScore } from './scheduler/plugins/normalize-score';
export { nodeResourcesFitPlugin, NODE_RESOURCES_FIT } from './scheduler/plugins/node-resources-fit';
export { DEFAULT_SCORING_STRATEGY } from './scheduler/plugins/node-resources-fit-contract';
export type { ScoringStrategy, NodeResourcesFitInput, NodeResourcesFitResult } from './scheduler/plugins/node-resources-fit-contract';
export { taintTolerationPlugin, TAINT_TOLERATION } from './scheduler/plugins/taint-toleration';
export { nodeAffinityPlugin, NODE_AFFINITY } from './scheduler/plugins/node-affinity';
export { podTopologySpreadPlugin, POD_TOPOLOGY_SPREAD } from './scheduler/plugins/pod-topology-spread';
export { prioritySortPlugin, prioritySortLess, PRIORITY_SORT } from './scheduler/plugins/priority-sort';
export { nodeUnschedulablePlugin, NODE_UNSCHEDULABLE } from './scheduler/plugins/node-unschedulable';
export { nodeNamePlugin, NODE_NAME } from './scheduler/plugins/node-name';
export { nodePortsPlugin, NODE_PORTS } from './scheduler/plugins/node-ports';
export { balancedAllocationPlugin, BALANCED_ALLOCATION } from './scheduler/plugins/balanced-allocation';
export { imageLocalityPlugin, IMAGE_LOCALITY } from './scheduler/plugins/image-locality';
export { volumeBindingPlugin, VOLUME_BINDING } from './scheduler/plugins/volume-binding';
export { volumeRestrictionsPlugin, VOLUME_RESTRICTIONS } from './scheduler/plugins/volume-restrictions';
export { interPodAffinityPlugin, INTER_POD_AFFINITY } from './scheduler/plugins/inter-pod-affinity';
export { Scheduler, SCHEDULER, type SchedulerOptions } from './scheduler/scheduler';
export { SchedulingQueue, backoffDuration, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS, MAX_IN_UNSCHEDULABLE_MS } from './scheduler/scheduling-queue';
export { nodeSchedulingPropertiesChange, podSchedulingPropertiesChange, eventMatches, eventLabel, type ActionType, type ClusterEvent, type EventResource } from './scheduler/cluster-events';
export { buildQueueingHintMap, enqueueExtensionPlugins, isPodWorthRequeuing, type QueueingHintMap } from './scheduler/queueing-hint-map';
export { SchedulerCache, cloneNodeInfo } from './scheduler/cache';
export { Framework, numFeasibleNodesToFind, NO_NODES_AVAILABLE, type Profile, type ProfilePlugins, type FrameworkHandle, type ScheduleOutcome } from './scheduler/framework';
export { defaultProfile, multiPoint, DEFAULT_PLUGINS, DEFAULT_SCHEDULER_NAME, IN_TREE_PLUGINS, NOT_MODELLED, type ProfileOptions, type PluginFactory } from './scheduler/profiles';
export { fitErrorMessage, reasonHistogram, type Diagnosis } from './scheduler/fit-error';
export { decisionTable, simulatorAnnotations, DecisionLog, type DecisionRecord, type NodeDecision } from './scheduler/decision-record';
export { MAX_EXTENDER_PRIORITY, type Extender, type ExtenderFilterResult } from './scheduler/extender';
export { defaultBinderPlugin, DEFAULT_BINDER } from './scheduler/default-binder';
export { defaultPreemptionPlugin, DEFAULT_PREEMPTION } from './scheduler/default-preemption';
export type { SelectHost, SelectHostInput, SelectHostOutput, PluginScores, Normalization } from './scheduler/select-host-contract';
// Chapter 05's helpers: a pod's binding chain, decision tables, the framework's extension points, the
// spreading, scheduler-name and cache views, the queue demo's plumbing, and a pod on your code.
export { bindingChain } from './viz/binding-chain';
export { formatJourney } from './viz/pod-journey';
export { decisionView, showDecision } from './viz/decision-view';
export type { DecisionView } from './viz/decision-view';
export { extensionPointsDiagram } from './viz/extension-points';
export { podsPerZone } from './viz/pods-per-zone';
export type { ZoneRow } from './viz/pods-per-zone';
export { whoScheduled } from './viz/who-scheduled';
export type { WhoScheduledRow } from './viz/who-scheduled';
export { assumedPods } from './viz/assumed-pods';
export type { AssumedRow } from './viz/assumed-pods';
export { failedAttempts, attemptRows } from './viz/scheduling-attempts';
export type { AttemptRow } from './viz/scheduling-attempts';
export { podChurn } from './cluster/pod-churn';
export type { PodChurnOptions } from './cluster/pod-churn';
export { setAllocatable } from './kubectl/node-allocatable';
export { podOnYourCode } from './cluster/pod-on-your-code';
export type { PodOnYourCodeOptions, PodOnYourCodeRow } from './cluster/pod-on-your-code';
export { typedClient } from './client/typed-client';
export type { TypedResource, Result as ApiResult, ListOptions } from './client/typed-client';
// The node's container runtime (lab-kernel/runtime): the simulated registry, and containerd behind CRI over OCI namespaces, cgroups and CNI.
export { findImage, REGISTRY } from './runtime/image-registry';
export type { RegistryImage, ImageBehaviour } from './runtime/image-registry';
export { normalizeImage, parseImage, ImageReferenceError } from './runtime/image-reference';
export type { ImageReference } from './runtime/image-reference';
export { Containerd, RUNTIME_NAME, RUNTIME_VERSION } from './runtime/containerd';
export { CNI_NETWORK_NAME, containerdNetwork } from './runtime/cni-bridge';
export type { ContainerdOptions } from './runtime/containerd';
export type {
  CriCallback,
  RuntimeService,
  ImageService,
  PodSandboxConfig,
  PodSandboxMetadata,
  PodSandboxStatus,
  PodSandbox,
  PodSandboxState,
  ContainerConfig,
  ContainerMetadata,
  ContainerState,
  Container as CriContainer,
  ContainerStatus as CriContainerStatus,
  ExitReason,
  ImageSpec,
  Image as CriImage,
  LinuxContainerResources,
  NamespaceMode,
  NamespaceOption,
  ExecSyncResponse,
  FilesystemUsage,
  VersionResponse,
} from './runtime/cri';
export { CriError } from './runtime/cri-error';
export type { GrpcCode } from './runtime/cri-error';
export { SANDBOX_IMAGE } from './runtime/image-service';
export { qosClass, podCgroupParent } from './runtime/qos-class';
export type { QosClass } from './runtime/qos-class';
export { linuxResources, milliCpuToShares, milliCpuToQuota, CPU_PERIOD_US } from './runtime/linux-resources';
export { runCommand } from './runtime/shell';
export type { CommandRun, OutputLine } from './runtime/shell';
export { planProcess, containerArgv } from './runtime/container-process';
export type { ProcessPlan } from './runtime/container-process';
export { criLogLine, rfc3339Nano } from './runtime/container-log';
export { addNetworkList, delNetworkList, podCniArgs, CNI_VERSION } from './runtime/cni';
export type { NetworkConfigList, CniEnv, CniResult, CniPlugin, CniInterface, CniIpConfig } from './runtime/cni';
export { BridgePlugin } from './runtime/cni-bridge';
export type { BridgeLinks, VethLink } from './runtime/cni-bridge';
export { HostLocalIpam } from './runtime/host-local-ipam';
export type { Allocation } from './runtime/host-local-ipam';
export type { RuntimeTree, PodView, ProcessView, CgroupView } from './runtime/runtime-tree';
// Chapter 08's helpers: a node's runtime drawn as a tree, and a container's runs (a crash loop's back-off).
export { runtimeTreeDiagram } from './viz/runtime-tree-diagram';
export { nodeNetworkDiagram } from './viz/node-network';
export { packetHopRows, packetHopsDiagram } from './viz/packet-hops';
export { networkLabels, onNode, pingFromPod, type NodeShell } from './cluster/pod-network-view';
export { vtepOn } from './cluster/vtep-view';
// Chapter 10's helpers: requests to a Service from a pod, a node or off the cluster, who answered, and the first packet's cost by proxy mode.
export { answerCounts, httpAnswer, OFF_CLUSTER, serviceLabels, serviceRequest, whoAnswered } from './cluster/service-view';
// Chapter 11's helpers: a DNS query from a pod as packets, and the queries a lookup makes under the pod's search list.
export { dnsQuery, searchQueries, staleWindow, type DnsExchange, type SearchRow, type StaleRow } from './cluster/dns-view';
export { ADD_ONS, type AddOn } from './cluster/add-ons';
export { firstPacketBench, firstPacketCost, type FirstPacketBench, type FirstPacketMode } from './proxy/first-packet-cost';
export { containerRuns, containerRunsGantt } from './viz/container-runs';
export type { ContainerRun } from './viz/container-runs';
// Chapter 06's helpers: what each controller reads, owner references drawn, and trace events timed from a moment.
export { controllerWatches } from './viz/controller-watches';
export type { ControllerWatchRow } from './viz/controller-watches';
export { ownerGraph } from './viz/owner-graph';
export { moments } from './viz/moments';
export type { MomentRow } from './viz/moments';
// Chapter 07's helpers: a rollout's ReplicaSets over time, a Job's pods, samples over minutes, a line chart.
export { recordReplicaSets, timelineRows } from './viz/replica-set-timeline';
export type { ReplicaSetSample, ReplicaSetCounts, Runner } from './viz/replica-set-timeline';
export { jobPodRows } from './viz/job-pods';
export type { JobPodRow } from './viz/job-pods';
export { sampleEvery } from './viz/sample-every';
export { lineChart } from './viz/line-chart';
export type { LineChartLabels } from './viz/line-chart';
