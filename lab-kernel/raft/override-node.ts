import type { RaftNode } from './types';

/**
 * A Raft node with some of its methods replaced, the rest passed through: for a recording
 * wrapper or a test's planted fault.
 *
 *   overrideNode(node, { ready: () => { const rd = node.ready(); log(rd); return rd; } })
 */
export function overrideNode(node: RaftNode, overrides: Partial<RaftNode>): RaftNode {
  return {
    tick: () => node.tick(),
    step: (m) => node.step(m),
    propose: (data) => node.propose(data),
    readIndex: (ctx) => node.readIndex(ctx),
    hasReady: () => node.hasReady(),
    ready: () => node.ready(),
    advance: () => node.advance(),
    status: () => node.status(),
    compact: (index, data) => node.compact(index, data),
    ...overrides,
  };
}
