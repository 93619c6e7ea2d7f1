import { invalid, success } from '../../api/status';
import type { Binding } from '../../api/types';
import { decode } from '../codec';
import { startingPoint } from '../handlers/read';
import { API_SERVER } from '../identity';
import { retryStale, StaleWrite } from '../stale-write';
import type { SubresourceHandler } from './subresource';

/**
 * POST <name>/binding: the scheduler's only way to place a pod. What binding does to the
 * object is its strategy's (strategies/pod.ts: spec.nodeName, once); a kind that cannot be
 * bound has no such subresource: 404.
 *
 *   POST pods/web/binding { kind: 'Binding', target: { name: 'node-1' } }   // => 201; again => 409 Conflict
 */
export const bindingSubresource: SubresourceHandler = {
  servedFor: (strategy) => strategy.bind !== undefined,
  verbs: ['create'],
  *create(server, call) {
    const { req, info, strategy, caller } = call;
    const bind = strategy.bind!;
    const binding = req.body as Binding;
    const target = binding?.target?.name;
    if (!target) throw invalid({ group: '', kind: 'Binding' }, req.name ?? '', [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }]);
    const name = req.name ?? '';
    return yield* retryStale(false, function* (from) {
      const { kv } = yield* startingPoint(server, info, req, from);
      const obj = decode(kv);
      bind(obj, target, server.sim.now());
      if (req.dryRun) return { code: 201, body: success(201) };
      const result = yield* server.etcd.put(`txn bind ${kv.key} to ${target}`, [{ key: kv.key, target: 'modRevision', op: '=', value: kv.modRevision }], kv.key, obj);
      if (!result.succeeded) throw new StaleWrite({ group: info.group, resource: `${info.resource}/binding`, name });
      server.sim.trace.action(server.sim.now(), API_SERVER, `bound ${req.namespace}/${name} to ${target} for ${caller}`);
      return { code: 201, body: success(201) };
    });
  },
};
