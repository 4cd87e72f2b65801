/**
 * The warm-pool policy: given a snapshot of the node's ENIs and addresses, decide the one next step that brings
 * the pool towards its targets ({@link io.vpccni.ipamd.policy.WarmPoolPolicy#decide}).
 *
 * <p>Everything here is pure: no EC2, no clock, no kernel. The daemon's pool manager builds a
 * {@link io.vpccni.ipamd.policy.PoolState}, asks for a {@link io.vpccni.ipamd.policy.PoolAction}, performs it
 * against EC2, and asks again on its next tick. Time arrives as {@code PoolState.now}, so the throttles and the
 * one-minute ENI age are tested by moving instants, never by sleeping.
 *
 * <p>The math follows upstream ipamd (WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET,
 * MAX_ENI, max pods). Where this port deliberately differs, the code says so next to the difference.
 */
package io.vpccni.ipamd.policy;
