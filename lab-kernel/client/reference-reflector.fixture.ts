/** For tests that run informers on a client of their own: the reference reflector step (a cluster's clients get theirs from cluster/). */
export { reflectorStep as REFERENCE_REFLECTOR_STEP } from '../../solutions/reflector/reflector';
