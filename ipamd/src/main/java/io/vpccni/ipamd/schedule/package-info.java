/**
 * The one scheduler that runs every background loop of the daemon: the pool's reconcile, the leaked-ENI sweep,
 * the host network's SNAT pass, the state healer, the ENI ownership re-check, the node's start-up retries.
 *
 * <p>A loop is a {@link io.vpccni.ipamd.schedule.Step}: one pass that says when it wants the next
 * ({@link io.vpccni.ipamd.schedule.Next}). What wakes a loop early (an ADD, a netlink removal, an inotify event)
 * calls {@link io.vpccni.ipamd.schedule.Task#wake()} on its handle. The loops keep their one-pass methods
 * ({@code reconcileOnce}, {@code healOnce}, ...) for tests that want a pass without any scheduling.
 * {@link io.vpccni.ipamd.schedule.VirtualThreadScheduler} is the real one; tests use {@code FakeScheduler},
 * which runs due passes only when the test moves its clock.
 */
package io.vpccni.ipamd.schedule;
