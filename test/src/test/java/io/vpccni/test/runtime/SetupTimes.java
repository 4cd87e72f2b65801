package io.vpccni.test.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-pod network set-up times as one runtime reports them (podman run's return, CRI RunPodSandbox's answer), for
 * the summary line a test prints. Figures, not assertions: performance belongs to benchmarks.
 */
final class SetupTimes {
    private final String what;
    private final List<Duration> samples = new ArrayList<>();

    SetupTimes(String what) {
        this.what = what;
    }

    void add(Duration d) {
        samples.add(d);
    }

    String summary() {
        var ms = samples.stream().mapToLong(Duration::toMillis).sorted().toArray();
        if (ms.length == 0) {
            return "runtime tier: " + what + ": no samples";
        }
        return "runtime tier: %s: %d pods, median %d ms, p90 %d ms, min %d ms, max %d ms".formatted(what, ms.length,
                ms[ms.length / 2], ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.9) - 1)], ms[0], ms[ms.length - 1]);
    }
}
