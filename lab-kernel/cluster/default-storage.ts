import type { KubeObject } from '../api/types';
import type { UserInfo } from '../apiserver/pipeline-types';
import { parseManifests } from '../kubectl/kubectl';

/**
 * The default-storage add-on, as kind installs it when a cluster is created
 * (pkg/build/nodeimage/const_storage.go, applied with kubectl by its "Installing StorageClass"
 * step): the StorageClass `standard`, marked default, whose provisioner rancher.io/local-path
 * makes a hostPath volume on the node of the claim's first pod, deleted with its claim. The lab
 * keeps the class and the provisioner's RBAC, and runs the provisioner itself as a component
 * (controllers/volume/local-path-provisioner.ts) under that ServiceAccount's name.
 *
 *   kubectl get storageclass
 *   // NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
 *   // standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  5s
 */
export const DEFAULT_STORAGE_MANIFEST = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: local-path-provisioner-role
rules:
  - apiGroups: [""]
    resources: ["nodes", "persistentvolumeclaims", "configmaps"]
    verbs: ["get", "list", "watch"]
  - apiGroups: [""]
    resources: ["endpoints", "persistentvolumes", "pods"]
    verbs: ["*"]
  - apiGroups: [""]
    resources: ["events"]
    verbs: ["create", "patch"]
  - apiGroups: ["storage.k8s.io"]
    resources: ["storageclasses"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: local-path-provisioner-bind
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: local-path-provisioner-role
subjects:
  - kind: ServiceAccount
    name: local-path-provisioner-service-account
    namespace: local-path-storage
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
`;

/** The add-on's objects, created at boot with the API server's bootstrap objects. */
export function defaultStorageObjects(): KubeObject[] {
  return parseManifests(DEFAULT_STORAGE_MANIFEST);
}

/** Who the provisioner is to the API server: its ServiceAccount. */
export const PROVISIONER_USER: UserInfo = {
  username: 'system:serviceaccount:local-path-storage:local-path-provisioner-service-account',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:local-path-storage', 'system:authenticated'],
};
