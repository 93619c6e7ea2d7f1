/**
 * kubelab's kernel: everything a chapter notebook or a test needs, from one import.
 *
 *   import { createCluster, showMermaid, sequenceDiagram } from './lab-kernel/index';
 *
 * (Notebooks import `./lab-kernel/index`, with /index: tslab cannot import a folder.)
 */
export { createCluster, Cluster, CONTROL_PLANE_NODE, CONTROLLER_MANAGER, KUBECTL } from './cluster/cluster';
export type { ClusterOptions, ComponentInfo } from './cluster/cluster';
export { Simulation } from './sim/simulation';
export { Network } from './sim/network';
export { SimDisk } from './sim/disk';
export { Machines } from './sim/machines';
export { Rng } from './sim/rng';
export { Trace, formatEvent, formatTime } from './sim/trace';
export type { TraceEvent } from './sim/trace';
export { MvccStore } from './store/mvcc-store';
export type { KeyValue, StoreEvent, Compare, TxnOp, TxnResult, RangeResult } from './store/mvcc-store';
export { StoreError, ERR_COMPACTED, ERR_FUTURE_REV } from './store/store-errors';
export { Lessor } from './store/lessor';
export { EncryptionTransformer, EncryptionError, generateKey, hexdump, storedBytes } from './store/encryption';
export type { EncryptionConfiguration, EncryptionProvider } from './store/encryption';
export { EtcdCluster } from './etcd/etcd-cluster';
export { ERR_NO_LEADER, ERR_TIMEOUT } from './etcd/etcd-api';
export { RaftCluster, RaftCheckFailure, ELECTION_TIMEOUT_MS, ONE_TIMEOUT_MS } from './raft/raft-cluster';
export type { RaftClusterOptions } from './raft/raft-cluster';
export { RaftPeer, TICK_MS, describeMessage } from './raft/raft-peer';
export { Timeline } from './raft/timeline';
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
export { Table } from './kubectl/table';
export { selectorMatches, parseSelector } from './api/labels';
export { storageKey, resourceFor } from './api/resources';
export { timestamp, age } from './api/time';
export type * from './api/types';
export { loadSlot, SlotError } from './slots/slots';
export { podFromTemplate } from './controllers/replicaset-contract';
export { componentDiagram, sequenceDiagram } from './viz/diagrams';
export { mermaidBundle, showMermaid, showHtml, showTable } from './viz/display';
