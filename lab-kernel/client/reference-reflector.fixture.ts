/** For tests that run informers on a client of their own: the reference reflector step and relist diff (a cluster's clients get theirs from cluster/). */
export { reflectorStep as REFERENCE_REFLECTOR_STEP } from '../../solutions/reflector/reflector';
export { relistDiff as REFERENCE_RELIST_DIFF } from '../../solutions/reflector/relist';
