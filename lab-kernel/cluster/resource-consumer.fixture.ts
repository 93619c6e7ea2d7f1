/** A Deployment web of 2 resource-consumer pods requesting 100m CPU each (the HPA e2e test's workload). */
export const CONSUMER = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: consumer
        image: registry.k8s.io/e2e-test-images/resource-consumer:1.13
        resources: { requests: { cpu: 100m } }
`;

/** An HPA keeping web's pods at 50% of their CPU request, between 1 and 10 of them (what `kubectl autoscale deployment web --cpu-percent=50 --min=1 --max=10` makes). */
export const WEB_HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: { name: cpu, target: { type: Utilization, averageUtilization: 50 } }
`;
