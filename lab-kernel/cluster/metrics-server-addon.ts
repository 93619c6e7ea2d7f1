import type { KubeletEndpoint } from '../apiserver/context';
import type { UserInfo } from '../apiserver/pipeline-types';
import type { Client } from '../client/client';
import { MetricsServer, NODE_METRICS, POD_METRICS } from '../metrics-server/metrics-server';
import type { AddOnProgram } from '../runtime/add-on-program';
import type { HttpRequest } from '../runtime/resource-consumer';
import type { Network } from '../sim/network';
import type { AddOnAPIService } from './service-api-backend';

/**
 * metrics-server as an add-on: the objects of its v0.7.2 release manifest (components.yaml,
 * built from manifests/base and the release overlay of kubernetes-sigs/metrics-server), applied
 * like any manifest, and the program its image runs in its pod (metrics-server/metrics-server.ts).
 *
 *   cluster.installAddOn('metrics-server')   // or createCluster({ addOns: ['metrics-server'] })
 *   // one metrics-server pod in kube-system; 15 s after it starts its second scrape is stored and
 *   // /readyz passes; its readiness probe (no pass before 20 s, then every 10 s) makes the pod
 *   // Ready, the Service gets an endpoint, the APIService is Available: kubectl top works
 *
 * The objects, in the order kubectl applies components.yaml: ServiceAccount metrics-server;
 * ClusterRoles system:aggregated-metrics-reader (read metrics.k8s.io, labelled to aggregate
 * into view, edit and admin) and system:metrics-server (read pods and nodes, get
 * nodes/metrics); RoleBinding metrics-server-auth-reader (to the Role
 * extension-apiserver-authentication-reader in kube-system); ClusterRoleBindings
 * metrics-server:system:auth-delegator and system:metrics-server; Service metrics-server (443 to
 * the pod's port https); Deployment metrics-server (one replica, 10250, /readyz and /livez
 * probes); APIService v1beta1.metrics.k8s.io.
 *
 * What the lab does differently, and why:
 *   - The APIService is not in the applied text: the lab's API server does not serve
 *     apiregistration.k8s.io. It is METRICS_APISERVICE below, with the same fields, and the
 *     cluster registers it with its aggregator when it applies the add-on (add-ons.ts), so
 *     `kubectl get apiservices` has nothing to show here.
 *   - The RoleBinding and the auth-delegator binding are applied as they are, but name roles the
 *     lab's bootstrap policy does not have (extension-apiserver-authentication-reader,
 *     system:auth-delegator): metrics-server uses them to authenticate the aggregator's
 *     forwarded requests, which the lab's aggregator has already authorized.
 *   - The aggregate-to-view/edit/admin labels aggregate nothing: the lab writes those roles out.
 *   - HTTPS is plain request and answer on the packet network (no certificates, no TLS).
 */
export const METRICS_SERVER_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:metrics-server',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
};

export const METRICS_SERVER_IMAGE = 'registry.k8s.io/metrics-server/metrics-server:v0.7.2';
/** --secure-port: where it serves the Metrics API, /readyz and /livez (the pod's port https). */
export const METRICS_SERVER_PORT = 10250;

export const METRICS_SERVER_MANIFEST = `apiVersion: v1
kind: ServiceAccount
metadata:
  labels:
    k8s-app: metrics-server
  name: metrics-server
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  labels:
    k8s-app: metrics-server
    rbac.authorization.k8s.io/aggregate-to-admin: "true"
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
    rbac.authorization.k8s.io/aggregate-to-view: "true"
  name: system:aggregated-metrics-reader
rules:
- apiGroups:
  - metrics.k8s.io
  resources:
  - pods
  - nodes
  verbs:
  - get
  - list
  - watch
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  labels:
    k8s-app: metrics-server
  name: system:metrics-server
rules:
- apiGroups:
  - ""
  resources:
  - nodes/metrics
  verbs:
  - get
- apiGroups:
  - ""
  resources:
  - pods
  - nodes
  verbs:
  - get
  - list
  - watch
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  labels:
    k8s-app: metrics-server
  name: metrics-server-auth-reader
  namespace: kube-system
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: extension-apiserver-authentication-reader
subjects:
- kind: ServiceAccount
  name: metrics-server
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  labels:
    k8s-app: metrics-server
  name: metrics-server:system:auth-delegator
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:auth-delegator
subjects:
- kind: ServiceAccount
  name: metrics-server
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  labels:
    k8s-app: metrics-server
  name: system:metrics-server
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:metrics-server
subjects:
- kind: ServiceAccount
  name: metrics-server
  namespace: kube-system
---
apiVersion: v1
kind: Service
metadata:
  labels:
    k8s-app: metrics-server
  name: metrics-server
  namespace: kube-system
spec:
  ports:
  - name: https
    port: 443
    protocol: TCP
    targetPort: https
  selector:
    k8s-app: metrics-server
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    k8s-app: metrics-server
  name: metrics-server
  namespace: kube-system
spec:
  selector:
    matchLabels:
      k8s-app: metrics-server
  strategy:
    rollingUpdate:
      maxUnavailable: 0
  template:
    metadata:
      labels:
        k8s-app: metrics-server
    spec:
      containers:
      - args:
        - --cert-dir=/tmp
        - --secure-port=${METRICS_SERVER_PORT}
        - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
        - --kubelet-use-node-status-port
        - --metric-resolution=15s
        image: ${METRICS_SERVER_IMAGE}
        imagePullPolicy: IfNotPresent
        livenessProbe:
          failureThreshold: 3
          httpGet:
            path: /livez
            port: https
            scheme: HTTPS
          periodSeconds: 10
        name: metrics-server
        ports:
        - containerPort: ${METRICS_SERVER_PORT}
          name: https
          protocol: TCP
        readinessProbe:
          failureThreshold: 3
          httpGet:
            path: /readyz
            port: https
            scheme: HTTPS
          initialDelaySeconds: 20
          periodSeconds: 10
        resources:
          requests:
            cpu: 100m
            memory: 200Mi
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          runAsUser: 1000
          seccompProfile:
            type: RuntimeDefault
        volumeMounts:
        - mountPath: /tmp
          name: tmp-dir
      nodeSelector:
        kubernetes.io/os: linux
      priorityClassName: system-cluster-critical
      serviceAccountName: metrics-server
      volumes:
      - emptyDir: {}
        name: tmp-dir
`;

/** The manifest's last document, apiregistration.k8s.io/v1 APIService v1beta1.metrics.k8s.io, which the cluster registers itself. */
export const METRICS_APISERVICE: AddOnAPIService = {
  apiVersion: 'apiregistration.k8s.io/v1',
  kind: 'APIService',
  metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
  spec: { service: { name: 'metrics-server', namespace: 'kube-system' }, group: 'metrics.k8s.io', version: 'v1beta1', insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 100 },
  resources: [POD_METRICS, NODE_METRICS],
};

export interface MetricsServerProgramDeps {
  /** The pod's API client, as its service account, named metrics-server/<pod>. */
  client: (component: string, user: UserInfo) => Client;
  /** The message network it scrapes the kubelets over. */
  net: Network;
  /** Where a node's kubelet listens. */
  kubeletOf: (node: string) => KubeletEndpoint | undefined;
}

/** What the metrics-server image's process does in its pod: scrape, store, and serve on 10250. */
export function metricsServerProgram(deps: MetricsServerProgramDeps): AddOnProgram {
  return (ctx) => {
    const component = `metrics-server/${ctx.pod.name}`;
    const server = new MetricsServer(ctx.sim, deps.net, component, deps.client(component, METRICS_SERVER_USER), deps.kubeletOf);
    server.start();
    const close = ctx.net.listen(ctx.ns, 'tcp', METRICS_SERVER_PORT, (request, reply) => {
      const answer = server.http(request.payload as HttpRequest);
      reply({ length: answer.body.length, payload: answer });
    });
    ctx.log(`Serving securely on [::]:${METRICS_SERVER_PORT}`);
    return () => {
      close();
      server.stop();
    };
  };
}
