package io.vpccni.ipamd.schedule;

/**
 * One pass of a background loop. A step handles its own failures (logs them, backs off) and says when it wants
 * to run next; one that throws anyway is logged by the scheduler and runs again as its previous run asked (only
 * when woken if it never completed one). An {@link InterruptedException} means the task is being cancelled.
 */
@FunctionalInterface
public interface Step {
    Next run() throws Exception;
}
