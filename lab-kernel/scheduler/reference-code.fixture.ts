import { nodeAffinity } from '../../solutions/scheduler/node-affinity';
import { nodeResourcesFit } from '../../solutions/scheduler/node-resources-fit';
import { podTopologySpread } from '../../solutions/scheduler/pod-topology-spread';
import { selectHost } from '../../solutions/scheduler/select-host';
import { taintToleration } from '../../solutions/scheduler/taint-toleration';
import type { SchedulerCode } from './scheduler-code';

/** For the scheduler's own tests: the reference of each exercise its plugins call (a cluster gets them from cluster/). */
export const REFERENCE_CODE: SchedulerCode = {
  'select-host': selectHost,
  'node-resources-fit': nodeResourcesFit,
  'taint-toleration': taintToleration,
  'node-affinity': nodeAffinity,
  'pod-topology-spread': podTopologySpread,
};
