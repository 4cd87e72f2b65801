package io.vpccni.ipamd.observe;

import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpstreamCounterNamesTest {
    @Test
    void upstreamsCountersKeepTheirNamesOnTheWireAndOursKeepTotal() {
        var registry = MetricsServer.newRegistry();
        Counter.builder("awscni_add_ip_req_count").description("ADD requests").register(registry).increment();
        Counter.builder("awscni_del_ip_req_count").tag("reason", "PodDeleted").register(registry).increment(2);
        Counter.builder("awscni_restored").tag("kind", "rule").register(registry).increment();
        Counter.builder("awscni_connmark_reconcile_total").tag("result", "success").register(registry).increment();

        var text = UpstreamCounterNames.apply(registry.scrape());

        assertTrue(text.contains("# HELP awscni_add_ip_req_count ADD requests\n# TYPE awscni_add_ip_req_count counter\n"), text);
        assertTrue(text.contains("\nawscni_add_ip_req_count 1.0\n"), text);
        assertTrue(text.contains("\nawscni_del_ip_req_count{reason=\"PodDeleted\"} 2.0\n"), text);
        assertFalse(text.contains("awscni_add_ip_req_count_total"), text);
        assertTrue(text.contains("\nawscni_restored_total{kind=\"rule\"} 1.0\n"), text);
        assertTrue(text.contains("\nawscni_connmark_reconcile_total{result=\"success\"} 1.0\n"), text);
    }
}
