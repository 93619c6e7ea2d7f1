/** For tests: a Job whose every pod fails at once (exit 1), with backoffLimit 2 and restartPolicy Never. */
export const FLAKY_JOB = `apiVersion: batch/v1
kind: Job
metadata: { name: flaky }
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: work, image: busybox:1.36, command: [sh, -c, "exit 1"] }]
`;
