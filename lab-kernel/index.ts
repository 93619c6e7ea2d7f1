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
