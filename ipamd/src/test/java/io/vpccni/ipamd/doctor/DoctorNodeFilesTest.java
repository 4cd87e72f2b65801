package io.vpccni.ipamd.doctor;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nm-cloud-setup's enablement links and udev's 99-default.link with its drop-ins, from crafted directories. */
class DoctorNodeFilesTest {
    @TempDir
    Path root;
    private Path etc;
    private Path run;
    private Path usr;

    @BeforeEach
    void dirs() throws IOException {
        etc = Files.createDirectories(root.resolve("etc/systemd/network"));
        run = Files.createDirectories(root.resolve("run/systemd/network"));
        usr = Files.createDirectories(root.resolve("usr/lib/systemd/network"));
    }

    @Test
    void anEnabledNmCloudSetupTimerIsAProblemNamingItsLink() throws IOException {
        var system = Files.createDirectories(root.resolve("etc/systemd/system/timers.target.wants"));
        Files.createSymbolicLink(system.resolve("nm-cloud-setup.timer"), Path.of("/usr/lib/systemd/system/nm-cloud-setup.timer"));
        Files.createSymbolicLink(system.resolve("fstrim.timer"), Path.of("/usr/lib/systemd/system/fstrim.timer"));
        var f = NodeFileChecks.nmCloudSetup(UnitFacts.read(root.resolve("etc/systemd/system"))).getFirst();
        assertEquals(Finding.Severity.PROBLEM, f.severity());
        assertEquals(List.of(system.resolve("nm-cloud-setup.timer") + " -> /usr/lib/systemd/system/nm-cloud-setup.timer"), f.evidence());
        assertTrue(f.fix().startsWith("systemctl disable --now nm-cloud-setup.timer nm-cloud-setup.service"), f.fix());
        Files.delete(system.resolve("nm-cloud-setup.timer"));  // links out of the temp dir: removed here, not by JUnit
        Files.delete(system.resolve("fstrim.timer"));
    }

    @Test
    void noLinkOrNoDirectoryIsOk() throws IOException {
        Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        assertEquals(Finding.Severity.OK, NodeFileChecks.nmCloudSetup(UnitFacts.read(root.resolve("etc/systemd/system"))).getFirst().severity());
        var absent = NodeFileChecks.nmCloudSetup(UnitFacts.read(root.resolve("nowhere"))).getFirst();
        assertTrue(absent.summary().startsWith("not checked"), absent.summary());
        assertTrue(absent.evidence().getFirst().contains(DoctorSettings.SYSTEMD_SYSTEM_DIR));
    }

    @Test
    void theDistributionsPersistentPolicyIsOkWithTheReasonNamed() throws IOException {
        Files.writeString(usr.resolve("99-default.link"), "[Match]\nOriginalName=*\n\n[Link]\nNamePolicy=keep kernel\nMACAddressPolicy=persistent\n");
        var facts = MacPolicyFacts.read(List.of(etc, run, usr));
        assertEquals("persistent", facts.policy());
        assertEquals(usr.resolve("99-default.link") + ":6", facts.where());
        var f = NodeFileChecks.macPolicy(facts).getFirst();
        assertEquals(Finding.Severity.OK, f.severity());
        assertTrue(f.summary().contains("explicit random MAC on every host veth"), f.summary());
    }

    @Test
    void anEtcCopyHidesTheDistributionsAndDropInsApplyInNameOrderLastWins() throws IOException {
        Files.writeString(usr.resolve("99-default.link"), "[Link]\nMACAddressPolicy=persistent\n");
        Files.writeString(etc.resolve("99-default.link"), "[Link]\nMACAddressPolicy=random\n");
        var usrDropIns = Files.createDirectories(usr.resolve("99-default.link.d"));
        var etcDropIns = Files.createDirectories(etc.resolve("99-default.link.d"));
        Files.writeString(usrDropIns.resolve("99-no-policy.conf"), "[Link]\nMACAddressPolicy=none\n");
        Files.writeString(etcDropIns.resolve("50-persist.conf"), "[Link]\nMACAddressPolicy=persistent\n");
        var facts = MacPolicyFacts.read(List.of(etc, run, usr));
        assertEquals("none", facts.policy(), "99-no-policy.conf sorts last");
        assertEquals(List.of(etc.resolve("99-default.link").toString(), etcDropIns.resolve("50-persist.conf").toString(),
                usrDropIns.resolve("99-no-policy.conf").toString()), facts.read());
        // The same drop-in name in /etc hides the distribution's.
        Files.writeString(etcDropIns.resolve("99-no-policy.conf"), "[Link]\nMACAddressPolicy=persistent\n");
        assertEquals("persistent", MacPolicyFacts.read(List.of(etc, run, usr)).policy());
    }

    @Test
    void aMaskedDefaultLinkSetsNothing() throws IOException {
        Files.writeString(usr.resolve("99-default.link"), "[Link]\nMACAddressPolicy=persistent\n");
        Files.createSymbolicLink(etc.resolve("99-default.link"), Path.of("/dev/null"));
        var facts = MacPolicyFacts.read(List.of(etc, run, usr));
        assertEquals("", facts.policy());
        assertEquals(Finding.Severity.OK, NodeFileChecks.macPolicy(facts).getFirst().severity());
        Files.delete(etc.resolve("99-default.link"));
    }
}
