package io.vpccni.ipamd.doctor;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon's environment as the doctor reads it: defaults, overrides, and bad values reported instead of fatal. */
class DoctorSettingsTest {
    @Test
    void defaultsAreTheDaemons() {
        var s = DoctorSettings.fromEnv(Map.of());
        assertEquals(Path.of("/var/run/aws-node/ipamd.sock"), s.socket());
        assertEquals(URI.create("http://127.0.0.1:61679"), s.introspection());
        assertEquals(URI.create("http://169.254.169.254"), s.imdsEndpoint());
        assertEquals(Path.of("/host/etc/cni/net.d"), s.conflistDir());
        assertEquals(Path.of("/var/run/aws-node/ipam.json"), s.checkpoint());
        assertEquals(Path.of("/proc/sys"), s.procSys());
        assertEquals(Path.of("/etc/systemd/system"), s.systemdSystemDir());
        assertEquals(Path.of("/run/systemd/netif/links"), s.ownership().networkdLinks());
        assertEquals("eni", s.vethPrefix());
        assertTrue(s.errors().isEmpty());
    }

    @Test
    void everyPathFollowsItsVariable() {
        var s = DoctorSettings.fromEnv(Map.of("IPAMD_SOCKET_PATH", "/tmp/x.sock", "INTROSPECTION_BIND_ADDRESS", "0.0.0.0:7000",
                "HOST_CNI_CONFDIR_PATH", "/c", "AWS_VPC_K8S_CNI_BACKING_STORE", "/k.json", "DOCTOR_PROC_SYS", "/p",
                "DOCTOR_SYSTEMD_SYSTEM_DIR", "/s", "GUARD_NETWORK_DIRS", "/a:/b", "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9"));
        assertEquals(Path.of("/tmp/x.sock"), s.socket());
        assertEquals(URI.create("http://127.0.0.1:7000"), s.introspection(), "bound on every address: reached on loopback");
        assertEquals(List.of(Path.of("/a"), Path.of("/b")), s.ownership().networkDirectories());
        assertEquals(Path.of("/s"), s.systemdSystemDir());
        assertEquals(URI.create("http://127.0.0.1:9"), s.imdsEndpoint());
    }

    @Test
    void introspectionOffIsSaidAndBadValuesAreReportedWithDefaultsUsed() {
        var off = DoctorSettings.fromEnv(Map.of("DISABLE_INTROSPECTION", "true"));
        assertNull(off.introspection());
        assertTrue(off.introspectionOff().contains("DISABLE_INTROSPECTION=true"));
        var bad = DoctorSettings.fromEnv(Map.of("INTROSPECTION_BIND_ADDRESS", "nonsense",
                "AWS_VPC_K8S_CNI_BACKING_STORE", "relative.json"));
        assertEquals(2, bad.errors().size(), bad.errors().toString());
        assertTrue(bad.errors().getFirst().startsWith("INTROSPECTION_BIND_ADDRESS='nonsense'"), bad.errors().toString());
        assertEquals("eni", bad.vethPrefix());
        assertEquals(URI.create("http://127.0.0.1:61679"), bad.introspection());
        assertEquals(Finding.Severity.PROBLEM, DaemonChecks.settings(bad).getFirst().severity());
    }
}
