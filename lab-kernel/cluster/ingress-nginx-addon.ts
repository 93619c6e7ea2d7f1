import type { ClusterRole, ClusterRoleBinding, Deployment, Ingress, KubeObject, Namespace, Node, Pod, Service, ServiceAccount } from '../api/types';
import type { Client } from '../client/client';
import { SharedInformerFactory } from '../client/shared-informer-factory';
import { typedClient } from '../client/typed-client';
import type { IngressClassConfig } from '../ingress/ingress-class';
import { HEALTHZ_PORT, IngressController } from '../ingress/ingress-controller';
import type { AddOnProgram } from '../runtime/add-on-program';
import { httpFrom } from '../runtime/node-network';

/**
 * ingress-nginx as an add-on: the program its image runs (registry.k8s.io/ingress-nginx/
 * controller:v1.11.3, behaviour { kind: 'add-on', name: 'ingress-nginx' }) and the objects that
 * install it, abridged from ingress-nginx's deploy/static/provider/baremetal/deploy.yaml
 * (controller-v1.11.3): Namespace ingress-nginx, ServiceAccount, ClusterRole and binding,
 * Deployment ingress-nginx-controller (1 replica, /healthz probes on 10254), Service
 * ingress-nginx-controller of type NodePort (ports http 80 and https 443).
 *
 *   addOns: { 'ingress-nginx': ingressNginxProgram({ client: (component) => clientFor(component) }) }
 *   for (const obj of ingressNginxManifests()) kubectl apply ...
 *   // the controller pod starts; its program watches Ingresses, Services and EndpointSlices,
 *   // listens on 80 and 10254 in the pod's namespace, and writes its node's InternalIP into
 *   // the served Ingresses' status; clients reach it at <node IP>:<the Service's nodePort 80>
 *
 * Left out of the manifest: the admission webhook (its Service, Jobs, Role, certificate and
 * ValidatingWebhookConfiguration), the namespaced Role (leases for leader election, configmaps),
 * the ConfigMap, the IngressClass (the lab's API server does not serve IngressClass, so the
 * Deployment passes --watch-ingress-without-class=true: ingress-class.ts) and the pod's
 * securityContext. Status: ingress-nginx's default without --publish-service writes the
 * addresses of the nodes its pods run on (ExternalIP, else InternalIP); here the pod's own node's
 * InternalIP, as soon as it is known.
 */
export interface IngressNginxDeps {
  /** An API client for the controller's service account (system:serviceaccount:ingress-nginx:ingress-nginx), named ingress-nginx/<pod> in the trace. */
  client: (component: string) => Client;
}

export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
export const INGRESS_NGINX_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.11.3';

/** The add-on's flags: --ingress-class=nginx and, without IngressClass in the lab, --watch-ingress-without-class=true. */
export const ADDON_CLASSES: IngressClassConfig = { ingressClass: 'nginx', watchWithoutClass: true };

export function ingressNginxProgram(deps: IngressNginxDeps): AddOnProgram {
  return (ctx) => {
    const client = deps.client(`ingress-nginx/${ctx.pod.name}`);
    const informers = new SharedInformerFactory(ctx.sim, client);
    const controller = new IngressController(
      ctx.sim,
      informers,
      { listen: (proto, port, handler) => ctx.net.listen(ctx.ns, proto, port, handler), http: httpFrom(ctx.net, ctx.ns) },
      {
        classes: ADDON_CLASSES,
        updateStatus: (ing, done) =>
          typedClient<Ingress>(client, 'ingresses', ing.metadata.namespace).updateStatus(ing as Ingress, (r) => done(r.kind === 'ok' ? undefined : `update status of ${ing.metadata.namespace}/${ing.metadata.name}: ${r.status.message}`)),
        log: ctx.log,
      },
    );
    const stop = controller.start();
    informers.start();
    ctx.log('NGINX Ingress controller  Release: v1.11.3');
    typedClient<Pod>(client, 'pods', ctx.pod.namespace).get(ctx.pod.name, (pod) => {
      const nodeName = pod.kind === 'ok' ? pod.object.spec.nodeName : undefined;
      if (nodeName === undefined) return ctx.log(`cannot find the controller pod's node: no status is published`);
      typedClient<Node>(client, 'nodes').get(nodeName, (node) => {
        const ip = node.kind === 'ok' ? node.object.status?.addresses?.find((a) => a.type === 'InternalIP')?.address : undefined;
        if (ip !== undefined) controller.publishStatus(ip);
      });
    });
    return () => {
      stop();
      informers.shutdown();
    };
  };
}

const LABELS = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };
const NAME = 'ingress-nginx';
const CONTROLLER = 'ingress-nginx-controller';

/** The install's objects, in the order kubectl apply creates them. */
export function ingressNginxManifests(): KubeObject[] {
  const ns = INGRESS_NGINX_NAMESPACE;
  const namespace: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/instance': NAME } } };
  const account: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: NAME, namespace: ns, labels: LABELS } };
  const role: ClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: NAME, labels: LABELS },
    rules: [
      { apiGroups: [''], resources: ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch', 'get'] },
      // The namespaced Role's: the controller reads its own pod (get pods, namespaced in the original).
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
    ],
  };
  const binding: ClusterRoleBinding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: NAME, labels: LABELS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
    subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
  };
  const probe = { httpGet: { path: '/healthz', port: HEALTHZ_PORT, scheme: 'HTTP' as const }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1 };
  const args = ['/nginx-ingress-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx', `--ingress-class=${ADDON_CLASSES.ingressClass}`, `--watch-ingress-without-class=${ADDON_CLASSES.watchWithoutClass}`];
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: CONTROLLER, namespace: ns, labels: LABELS },
    spec: {
      replicas: 1,
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          serviceAccountName: NAME,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          terminationGracePeriodSeconds: 300,
          containers: [
            {
              name: 'controller',
              image: INGRESS_NGINX_IMAGE,
              args,
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              ports: [
                { name: 'http', containerPort: 80, protocol: 'TCP' },
                { name: 'https', containerPort: 443, protocol: 'TCP' },
              ],
              livenessProbe: Object.assign({}, probe, { failureThreshold: 5 }),
              readinessProbe: Object.assign({}, probe, { failureThreshold: 3 }),
              resources: { requests: { cpu: '100m', memory: '90Mi' } },
            },
          ],
        },
      },
    },
  };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: CONTROLLER, namespace: ns, labels: LABELS },
    spec: {
      type: 'NodePort',
      selector: LABELS,
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http' },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' },
      ],
    },
  };
  return [namespace, account, role, binding, deployment, service];
}
