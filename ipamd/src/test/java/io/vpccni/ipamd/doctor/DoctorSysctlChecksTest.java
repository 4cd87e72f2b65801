package io.vpccni.ipamd.doctor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.vpccni.ipamd.doctor.DoctorFixtures.sysctls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ip_forward, the effective rp_filter of the primary interface, and conntrack fullness, from a crafted /proc/sys. */
class DoctorSysctlChecksTest {
    @TempDir
    Path proc;

    @ParameterizedTest(name = "ip_forward={0} -> {1}")
    @CsvSource({"1, OK", "0, PROBLEM"})
    void ipForward(String value, Finding.Severity severity) {
        var f = SysctlChecks.ipForward(sysctls("ens5", Map.of(SysctlFacts.IP_FORWARD, value))).getFirst();
        assertEquals(severity, f.severity());
        assertEquals("net.ipv4.ip_forward = " + value, f.evidence().getFirst());
        if (severity == Finding.Severity.PROBLEM) {
            assertTrue(f.fix().startsWith("sysctl -w net.ipv4.ip_forward=1"), f.fix());
        }
    }

    @ParameterizedTest(name = "all={0} ens5={1} pods off primary={2} -> {3}")
    @CsvSource({
            "0, 2, 3, OK", "2, 0, 3, OK", "0, 0, 3, OK",
            "1, 2, 3, OK",        // the higher wins: 2 (loose)
            "0, 1, 3, PROBLEM", "1, 0, 3, PROBLEM", "1, 1, 3, PROBLEM",
            "0, 1, 0, WARNING",   // strict, but no pod on a secondary ENI yet
            "0, 1, -1, WARNING"})
    void rpFilterIsTheHigherOfAllAndTheInterface(String all, String own, int offPrimary, Finding.Severity severity) {
        var facts = sysctls("ens5", Map.of(SysctlFacts.RP_FILTER_ALL, all, SysctlFacts.rpFilter("ens5"), own));
        var f = SysctlChecks.rpFilter(facts, offPrimary).getFirst();
        assertEquals(severity, f.severity(), f.toString());
        assertEquals("ens5", f.object());
        if (severity != Finding.Severity.OK) {
            assertTrue(f.fix().startsWith("sysctl -w net.ipv4.conf.ens5.rp_filter=2"), f.fix());
        }
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({"100, 1000, OK", "750, 1000, OK", "751, 1000, WARNING", "900, 1000, WARNING", "901, 1000, PROBLEM", "1000, 1000, PROBLEM"})
    void conntrackFullness(String count, String max, Finding.Severity severity) {
        var f = SysctlChecks.conntrack(sysctls("ens5", Map.of(SysctlFacts.CONNTRACK_COUNT, count, SysctlFacts.CONNTRACK_MAX, max))).getFirst();
        assertEquals(severity, f.severity());
    }

    @Test
    void noConntrackModuleAndNoPrimaryAreSaidNotGuessed() {
        assertTrue(SysctlChecks.conntrack(sysctls("ens5", Map.of())).getFirst().summary().startsWith("not checked"));
        assertEquals(Finding.Severity.WARNING, SysctlChecks.rpFilter(sysctls("", Map.of()), 1).getFirst().severity());
        assertEquals(Finding.Severity.WARNING, SysctlChecks.ipForward(sysctls("ens5", Map.of())).getFirst().severity());
    }

    @Test
    void theGathererReadsTheKeysUnderItsRootAndSkipsAbsentOnes() throws IOException {
        write("net/ipv4/ip_forward", "1\n");
        write("net/ipv4/conf/all/rp_filter", "0\n");
        write("net/ipv4/conf/ens5/rp_filter", "2\n");
        var facts = SysctlFacts.read(proc, "ens5");
        var expected = new HashMap<String, String>();
        expected.put("net/ipv4/ip_forward", "1");
        expected.put("net/ipv4/conf/all/rp_filter", "0");
        expected.put("net/ipv4/conf/ens5/rp_filter", "2");
        assertEquals(expected, facts.values());
        assertEquals(Map.of("net/ipv4/ip_forward", "1", "net/ipv4/conf/all/rp_filter", "0"), SysctlFacts.read(proc, "../etc").values());
    }

    private void write(String key, String value) throws IOException {
        Files.createDirectories(proc.resolve(key).getParent());
        Files.writeString(proc.resolve(key), value);
    }
}
