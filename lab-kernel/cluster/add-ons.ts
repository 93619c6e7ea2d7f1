import type { Deployment } from '../api/types';
import type { KubeletEndpoint } from '../apiserver/context';
import type { UserInfo } from '../apiserver/pipeline-types';
import type { Client } from '../client/client';
import type { AddOnPrograms } from '../runtime/add-on-program';
import { COREDNS_MANIFEST, corednsProgram } from './coredns-addon';
import { INGRESS_NGINX_NAMESPACE, ingressNginxManifests, ingressNginxProgram } from './ingress-nginx-addon';
import { METRICS_APISERVICE, METRICS_SERVER_MANIFEST, metricsServerProgram } from './metrics-server-addon';
import type { Network } from '../sim/network';
import type { AddOnAPIService } from './service-api-backend';
import { KUBE_PROXY_USER, kubeProxyProgram, type KubeProxyAddOnDeps } from './kube-proxy-addon';

/**
 * The add-ons a cluster can install, as a real one does: by applying their manifests
 * (T11.4). Nothing about them is special to the control plane: their objects go through the
 * API server like anyone's, the scheduler places their pods, the kubelets run them. What the
 * lab adds is each image's program (addOnPrograms), which the nodes' runtimes run when such a
 * container starts.
 *
 *   createCluster({ addOns: ['coredns'] })     // applied at boot; createCluster returns once they are available
 *   cluster.installAddOn('coredns')            // the same, later
 *
 * coredns        kubeadm's cluster DNS (coredns-addon.ts), the Deployment coredns behind kube-dns 10.96.0.10
 * ingress-nginx  the Ingress controller (ingress-nginx-addon.ts), behind the NodePort Service ingress-nginx-controller
 * metrics-server the Metrics API behind `kubectl top` and the HPA (metrics-server-addon.ts), the Deployment
 *                metrics-server in kube-system behind its Service and the APIService v1beta1.metrics.k8s.io
 *
 * kube-proxy is not among them: like `kubeadm init`, every cluster applies it as it boots
 * (kube-proxy-addon.ts); its image's program is here with the others.
 */
export type AddOn = 'coredns' | 'ingress-nginx' | 'metrics-server';

/** The ingress controller's service account, as its pod's token names it. */
export const INGRESS_NGINX_USER: UserInfo = {
  username: `system:serviceaccount:${INGRESS_NGINX_NAMESPACE}:ingress-nginx`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${INGRESS_NGINX_NAMESPACE}`],
};

export interface AddOnManifest {
  /** The objects, as a multi-document YAML. */
  manifest: string;
  /** The Deployment whose available replicas say the add-on is up. */
  deployment: { namespace: string; name: string };
  /** Its APIServices, which the lab's API server does not store: the cluster registers them with its aggregator as it applies the manifest. */
  apiServices?: readonly AddOnAPIService[];
}

export const ADD_ONS: Readonly<Record<AddOn, AddOnManifest>> = {
  coredns: { manifest: COREDNS_MANIFEST, deployment: { namespace: 'kube-system', name: 'coredns' } },
  // JSON is YAML: the objects as documents of one stream.
  'ingress-nginx': { manifest: ingressNginxManifests().map((o) => JSON.stringify(o)).join('\n---\n'), deployment: { namespace: INGRESS_NGINX_NAMESPACE, name: 'ingress-nginx-controller' } },
  'metrics-server': { manifest: METRICS_SERVER_MANIFEST, deployment: { namespace: 'kube-system', name: 'metrics-server' }, apiServices: [METRICS_APISERVICE] },
};

export interface AddOnProgramDeps {
  /** Makes each program's API client (one per pod). */
  client: (component: string, user: UserInfo) => Client;
  /** The message network, for metrics-server's scrapes of the kubelets. */
  net: Network;
  /** Where a node's kubelet listens. */
  kubeletOf: (node: string) => KubeletEndpoint | undefined;
  /** kube-proxy's rule generator, and where to say which proxiers run. */
  kubeProxy: Omit<KubeProxyAddOnDeps, 'client'>;
}

/** The images' programs for every node's runtime. */
export function addOnPrograms(deps: AddOnProgramDeps): AddOnPrograms {
  const { client } = deps;
  return {
    coredns: corednsProgram(client),
    'ingress-nginx': ingressNginxProgram({ client: (component) => client(component, INGRESS_NGINX_USER) }),
    'metrics-server': metricsServerProgram(deps),
    'kube-proxy': kubeProxyProgram(Object.assign({}, deps.kubeProxy, { client: (component: string) => client(component, KUBE_PROXY_USER) })),
  };
}

/** True once the add-on's Deployment has all its replicas available. */
export function addOnAvailable(deployment: Readonly<Deployment> | undefined): boolean {
  const want = deployment?.spec.replicas ?? 1;
  return deployment !== undefined && (deployment.status?.availableReplicas ?? 0) >= want && deployment.status?.observedGeneration === deployment.metadata.generation;
}
