package io.vpccni.simcloud;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Calls, throttled calls and error answers per action, for assertions and benchmark reports. */
public final class ApiCounters {
    public record Counts(long calls, long throttled, long errors) {}

    private final Map<String, LongAdder[]> byAction = new ConcurrentHashMap<>();

    void recordCall(String action) { adders(action)[0].increment(); }

    void recordThrottled(String action) { adders(action)[1].increment(); }

    void recordError(String action) { adders(action)[2].increment(); }

    public long calls(String action) { return of(action).calls(); }

    public long throttled(String action) { return of(action).throttled(); }

    public long errors(String action) { return of(action).errors(); }

    public Counts of(String action) {
        var a = byAction.get(action);
        return a == null ? new Counts(0, 0, 0) : new Counts(a[0].sum(), a[1].sum(), a[2].sum());
    }

    public Map<String, Counts> snapshot() {
        var out = new TreeMap<String, Counts>();
        byAction.keySet().forEach(k -> out.put(k, of(k)));
        return out;
    }

    private LongAdder[] adders(String action) {
        return byAction.computeIfAbsent(action, k -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
    }
}
