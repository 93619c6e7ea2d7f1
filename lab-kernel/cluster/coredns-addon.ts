import type { UserInfo } from '../apiserver/pipeline-types';
import type { Client } from '../client/client';
import { SharedInformerFactory } from '../client/shared-informer-factory';
import { CLUSTER_DNS_IP, CoreDns } from '../dns/core-dns';
import type { DnsQuery, DnsResponse } from '../dns/message';
import type { Handler } from '../net/namespace';
import type { AddOnProgram } from '../runtime/add-on-program';
import type { HttpAnswer, HttpRequest } from '../runtime/resource-consumer';

/**
 * Cluster DNS as kubeadm 1.32 installs it: ordinary objects (cmd/kubeadm/app/phases/addons/dns/
 * manifests.go), applied like any manifest, and a program for the image they run.
 *
 *   cluster.apply(COREDNS_MANIFEST)   // or createCluster({ addOns: ['coredns'] })
 *   // two coredns pods in kube-system behind the Service kube-dns, 10.96.0.10, ports 53/UDP, 53/TCP, 9153/TCP
 *   // a pod's `nslookup web` or `wget -qO- http://web` now gets its answer over the network
 *
 * The objects are kubeadm's, rendered for this cluster (2 replicas, cluster.local, the
 * control-plane taint), in the order kubeadm creates them; its `resourceVersion: "0"` on the
 * Service, which only matters for kubeadm's own update path, is left out.
 *
 * The program (corednsProgram) is what the image's process does in its pod: informers on
 * Services, EndpointSlices and Namespaces through its own client (the pod's service account,
 * system:serviceaccount:kube-system:coredns), the server of dns/core-dns.ts on UDP and TCP
 * port 53, the `health` plugin on :8080 (/health, the liveness probe) and `ready` on :8181
 * (/ready: 200 once the kubernetes plugin has synced, 503 before: the readiness probe). Not
 * served: the `prometheus` plugin's :9153 (connections to it are refused), `reload` and `loop`.
 */
export const COREDNS_USER: UserInfo = {
  username: 'system:serviceaccount:kube-system:coredns',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
};

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';

export const COREDNS_MANIFEST = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: coredns
  namespace: kube-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:coredns
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:coredns
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: system:coredns
subjects:
- kind: ServiceAccount
  name: coredns
  namespace: kube-system
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . /etc/resolv.conf {
           max_concurrent 1000
        }
        cache 30 {
           disable success cluster.local
           disable denial cluster.local
        }
        loop
        reload
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  replicas: 2
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  selector:
    matchLabels:
      k8s-app: kube-dns
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      priorityClassName: system-cluster-critical
      serviceAccountName: coredns
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector:
                matchExpressions:
                - key: k8s-app
                  operator: In
                  values: ["kube-dns"]
              topologyKey: kubernetes.io/hostname
      tolerations:
      - key: CriticalAddonsOnly
        operator: Exists
      - key: node-role.kubernetes.io/control-plane
        effect: NoSchedule
      nodeSelector:
        kubernetes.io/os: linux
      containers:
      - name: coredns
        image: ${COREDNS_IMAGE}
        imagePullPolicy: IfNotPresent
        resources:
          limits:
            memory: 170Mi
          requests:
            cpu: 100m
            memory: 70Mi
        args: [ "-conf", "/etc/coredns/Corefile" ]
        volumeMounts:
        - name: config-volume
          mountPath: /etc/coredns
          readOnly: true
        ports:
        - containerPort: 53
          name: dns
          protocol: UDP
        - containerPort: 53
          name: dns-tcp
          protocol: TCP
        - containerPort: 9153
          name: metrics
          protocol: TCP
        - containerPort: 8080
          name: liveness-probe
          protocol: TCP
        - containerPort: 8181
          name: readiness-probe
          protocol: TCP
        livenessProbe:
          httpGet:
            path: /health
            port: liveness-probe
            scheme: HTTP
          initialDelaySeconds: 60
          timeoutSeconds: 5
          successThreshold: 1
          failureThreshold: 5
        readinessProbe:
          httpGet:
            path: /ready
            port: readiness-probe
            scheme: HTTP
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            add:
            - NET_BIND_SERVICE
            drop:
            - ALL
          readOnlyRootFilesystem: true
      dnsPolicy: Default
      volumes:
        - name: config-volume
          configMap:
            name: coredns
            items:
            - key: Corefile
              path: Corefile
---
apiVersion: v1
kind: Service
metadata:
  labels:
    k8s-app: kube-dns
    kubernetes.io/cluster-service: "true"
    kubernetes.io/name: "CoreDNS"
  name: kube-dns
  namespace: kube-system
  annotations:
    prometheus.io/port: "9153"
    prometheus.io/scrape: "true"
spec:
  clusterIP: ${CLUSTER_DNS_IP}
  ports:
  - name: dns
    port: 53
    protocol: UDP
    targetPort: 53
  - name: dns-tcp
    port: 53
    protocol: TCP
    targetPort: 53
  - name: metrics
    port: 9153
    protocol: TCP
    targetPort: 9153
  selector:
    k8s-app: kube-dns
`;

/**
 * What the coredns image's process does in its pod: `client(component, user)` gives it its API
 * client (the composition root's), named coredns/<pod>.
 */
export function corednsProgram(client: (component: string, user: UserInfo) => Client): AddOnProgram {
  return (ctx) => {
    const component = `coredns/${ctx.pod.name}`;
    const informers = new SharedInformerFactory(ctx.sim, client(component, COREDNS_USER));
    const dns = new CoreDns(ctx.sim, informers, { rngStream: component });
    informers.start();
    const serveDns: Handler = (request, reply) => {
      const query = asQuery(request.payload);
      if (query === undefined) return; // not a DNS message: the server drops it
      const response = dns.answer(query);
      reply({ length: responseLength(query, response), payload: response });
    };
    const http = (answer: (request: HttpRequest | undefined) => HttpAnswer): Handler => (request, reply) => {
      const a = answer(request.payload as HttpRequest | undefined);
      reply({ length: a.body.length, payload: a });
    };
    const closers = [
      ctx.net.listen(ctx.ns, 'udp', 53, serveDns),
      ctx.net.listen(ctx.ns, 'tcp', 53, serveDns),
      ctx.net.listen(ctx.ns, 'tcp', 8080, http(() => ({ code: 200, body: 'OK' }))),
      ctx.net.listen(ctx.ns, 'tcp', 8181, http(() => (dns.hasSynced() ? { code: 200, body: 'OK' } : { code: 503, body: '' }))),
    ];
    return () => {
      for (const close of closers) close();
      dns.shutDown();
      informers.shutdown();
    };
  };
}

function asQuery(payload: unknown): DnsQuery | undefined {
  const q = payload as Partial<DnsQuery> | undefined;
  return q !== undefined && q !== null && typeof q.name === 'string' && typeof q.type === 'string' && typeof q.id === 'number' ? (q as DnsQuery) : undefined;
}

/** A response's size on the wire, roughly: the header, the question, 16 bytes a record. */
function responseLength(q: DnsQuery, r: DnsResponse): number {
  return 12 + q.name.length + 6 + 16 * (r.answers.length + r.authority.length + r.additional.length);
}
