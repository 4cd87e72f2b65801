package io.vpccni.simcloud;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls, throttled calls and error answers per EC2 action (as the Query API saw them: every HTTP attempt, SDK
 * retries included), for assertions and benchmark reports. Changes made through {@link Operator} are not counted.
 *
 * <pre>{@code
 * var before = counters.snapshot();
 * ... the burst ...
 * var during = ApiCounters.since(before, counters.snapshot());   // per action
 * System.out.print(ApiCounters.report(during));
 * }</pre>
 */
public final class ApiCounters {
    /** How one action fared; {@code throttled} calls are also {@code errors}. */
    public record Counts(long calls, long throttled, long errors) {
        public static final Counts NONE = new Counts(0, 0, 0);

        /** Calls EC2 answered with success. */
        public long succeeded() { return calls - errors; }

        public Counts plus(Counts o) { return new Counts(calls + o.calls, throttled + o.throttled, errors + o.errors); }

        public Counts minus(Counts o) { return new Counts(calls - o.calls, throttled - o.throttled, errors - o.errors); }
    }

    private final Map<String, LongAdder[]> byAction = new ConcurrentHashMap<>();

    void recordCall(String action) { adders(action)[0].increment(); }

    void recordThrottled(String action) { adders(action)[1].increment(); }

    void recordError(String action) { adders(action)[2].increment(); }

    public long calls(String action) { return of(action).calls(); }

    public long throttled(String action) { return of(action).throttled(); }

    public long errors(String action) { return of(action).errors(); }

    /** Calls of {@code action} that succeeded. */
    public long succeeded(String action) { return of(action).succeeded(); }

    public Counts of(String action) {
        var a = byAction.get(action);
        return a == null ? Counts.NONE : new Counts(a[0].sum(), a[1].sum(), a[2].sum());
    }

    /** Every action so far, by name. */
    public Map<String, Counts> snapshot() {
        var out = new TreeMap<String, Counts>();
        byAction.keySet().forEach(k -> out.put(k, of(k)));
        return out;
    }

    /** All actions together. */
    public Counts total() {
        return total(snapshot());
    }

    /** Starts counting from zero, e.g. after a benchmark's set-up. */
    public void reset() {
        byAction.clear();
    }

    /** What happened between two {@link #snapshot()}s, per action; actions without calls in between are left out. */
    public static Map<String, Counts> since(Map<String, Counts> before, Map<String, Counts> after) {
        var out = new TreeMap<String, Counts>();
        after.forEach((action, c) -> {
            var d = c.minus(before.getOrDefault(action, Counts.NONE));
            if (d.calls() != 0) out.put(action, d);
        });
        return out;
    }

    public static Counts total(Map<String, Counts> counts) {
        return counts.values().stream().reduce(Counts.NONE, Counts::plus);
    }

    /** A fixed-width table, one action a line and a total, for benchmark output. */
    public static String report(Map<String, Counts> counts) {
        var sb = new StringBuilder(String.format("%-34s %8s %10s %8s%n", "action", "calls", "throttled", "errors"));
        counts.forEach((action, c) -> sb.append(String.format("%-34s %8d %10d %8d%n", action, c.calls(), c.throttled(), c.errors())));
        var t = total(counts);
        return sb.append(String.format("%-34s %8d %10d %8d%n", "total", t.calls(), t.throttled(), t.errors())).toString();
    }

    @Override
    public String toString() {
        return report(snapshot());
    }

    private LongAdder[] adders(String action) {
        return byAction.computeIfAbsent(action, k -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
    }
}
