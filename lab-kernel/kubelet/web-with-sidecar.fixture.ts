/** For tests: a pod bound to node-1 with two containers, nginx and a sleeping busybox sidecar. */
export const WEB_WITH_SIDECAR = `
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-1
  containers:
  - {name: nginx, image: "nginx:1.27"}
  - {name: sidecar, image: "busybox:1.36", command: [sleep, "3600"]}
`;
