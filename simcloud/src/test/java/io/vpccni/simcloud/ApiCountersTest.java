package io.vpccni.simcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiCountersTest {
    @Test
    void perActionDeltasTotalsAndAReport() {
        var counters = new ApiCounters();
        counters.recordCall("CreateNetworkInterface");
        var before = counters.snapshot();
        counters.recordCall("CreateNetworkInterface");
        counters.recordCall("AttachNetworkInterface");
        counters.recordError("AttachNetworkInterface");
        counters.recordThrottled("AttachNetworkInterface");

        var during = ApiCounters.since(before, counters.snapshot());
        assertEquals(Map.of("CreateNetworkInterface", new ApiCounters.Counts(1, 0, 0),
                "AttachNetworkInterface", new ApiCounters.Counts(1, 1, 1)), during);
        assertEquals(new ApiCounters.Counts(2, 1, 1), ApiCounters.total(during));
        assertEquals(new ApiCounters.Counts(3, 1, 1), counters.total());
        assertEquals(2, counters.succeeded("CreateNetworkInterface"));
        assertEquals(0, counters.succeeded("AttachNetworkInterface"));
        var report = ApiCounters.report(during);
        assertTrue(report.lines().anyMatch(l -> l.matches("AttachNetworkInterface +1 +1 +1")), report);
        assertTrue(report.lines().anyMatch(l -> l.matches("total +2 +1 +1")), report);

        counters.reset();
        assertEquals(ApiCounters.Counts.NONE, counters.total());
    }
}
