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
