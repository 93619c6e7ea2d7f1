/**
 * What an exercise stub throws until the learner writes it:
 *
 *   throw notImplemented('replicaset')   // Error: not implemented yet: replicaset
 *
 * The grader and the cluster recognise the message and report it as "not started", not as a crash.
 */
export const NOT_IMPLEMENTED_PREFIX = 'not implemented yet: ';

export function notImplemented(exerciseId: string): Error {
  return new Error(`${NOT_IMPLEMENTED_PREFIX}${exerciseId}`);
}

export function isNotImplemented(err: unknown): boolean {
  return err instanceof Object && typeof (err as Error).message === 'string' && (err as Error).message.startsWith(NOT_IMPLEMENTED_PREFIX);
}

/** The exercise a "not implemented yet" error names: notImplementedId(notImplemented('raft-replication')) => 'raft-replication'; undefined for any other error. */
export function notImplementedId(err: unknown): string | undefined {
  return isNotImplemented(err) ? (err as Error).message.slice(NOT_IMPLEMENTED_PREFIX.length) : undefined;
}
