/**
 * The names the API server and its etcd go by in the trace and in diagrams:
 *
 *   kube-apiserver -> etcd  txn create /registry/pods/default/web
 */
export const API_SERVER = 'kube-apiserver';
export const ETCD = 'etcd';
