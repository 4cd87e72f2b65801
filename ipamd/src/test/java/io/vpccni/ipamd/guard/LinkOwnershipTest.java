package io.vpccni.ipamd.guard;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ownership decisions on captured systemd-networkd state files and .network files (shapes from systemd 252). */
class LinkOwnershipTest {
    private static final String MAC = "02:aa:bb:cc:dd:06";

    @TempDir
    Path root;
    private Path links;
    private Path etc;
    private Path run;
    private Path usr;
    private LinkOwnership ownership;

    @BeforeEach
    void dirs() throws IOException {
        links = Files.createDirectories(root.resolve("run/systemd/netif/links"));
        etc = Files.createDirectories(root.resolve("etc/systemd/network"));
        run = Files.createDirectories(root.resolve("run/systemd/network"));
        usr = Files.createDirectories(root.resolve("usr/lib/systemd/network"));
        ownership = new LinkOwnership(new LinkOwnership.Paths(links, List.of(etc, run, usr), root.resolve("run/NetworkManager/devices")));
    }

    private void state(int ifindex, String adminState, String networkFile) throws IOException {
        Files.writeString(links.resolve(Integer.toString(ifindex)), """
                # This is private data. Do not parse.
                ADMIN_STATE=%s
                OPER_STATE=routable
                CARRIER_STATE=carrier
                ADDRESS_STATE=routable
                IPV4_ADDRESS_STATE=routable
                IPV6_ADDRESS_STATE=off
                %s""".formatted(adminState, networkFile == null ? "" : "NETWORK_FILE=" + networkFile + "\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pending", "initialized", "configuring", "configured", "failed", "linger"})
    void everyNetworkdStateButUnmanagedIsRefused(String admin) throws IOException {
        state(10, admin, "/etc/systemd/network/70-eks-ens6.network");
        var owner = ownership.ownerOf(10, "ens6", MAC);
        assertEquals(new Owner.Networkd(admin, "/etc/systemd/network/70-eks-ens6.network"), owner);
        assertFalse(owner.acceptable());
        assertTrue(owner.describe().contains("ADMIN_STATE=" + admin));
    }

    @Test
    void unmanagedAndUnmatchedLinksAreAccepted() throws IOException {
        state(10, "unmanaged", null);
        assertTrue(ownership.ownerOf(10, "ens6", MAC).acceptable());
        assertTrue(ownership.ownerOf(11, "ens7", MAC).acceptable(), "no networkd state and no file: nobody");
    }

    @Test
    void anUnmanagedYesFileIsAcceptedAndSortsBeforeTheFileThatWouldClaimTheLink() throws IOException {
        Files.writeString(etc.resolve("10-cni-unmanaged.network"), "[Match]\nName=ens*\n\n[Link]\nUnmanaged=yes\n");
        Files.writeString(usr.resolve("80-ec2.network"), "[Match]\nName=ens*\n\n[Network]\nDHCP=yes\n");
        var owner = ownership.ownerOf(10, "ens6", MAC);
        assertInstanceOf(Owner.Nobody.class, owner);
        assertTrue(owner.describe().contains("10-cni-unmanaged.network says Unmanaged=yes"), owner.describe());
    }

    @Test
    void aFileThatWillClaimTheLinkAtTheNextReloadIsRefusedAheadOfTime() throws IOException {
        state(10, "unmanaged", null);  // unmanaged now...
        Files.writeString(run.resolve("70-eks-ens6.network"), "[Match]\nPermanentMACAddress=" + MAC.toUpperCase() + "\n\n[Network]\nDHCP=yes\n");
        var owner = ownership.ownerOf(10, "ens6", MAC);  // ...but nodeadm just wrote a file for it
        assertEquals(new Owner.NetworkdPredicted(run.resolve("70-eks-ens6.network").toString()), owner);
        assertFalse(owner.acceptable());
    }

    @Test
    void anEtcFileHidesTheSameNameElsewhereAndUnknownMatchKeysNeverMatch() throws IOException {
        Files.writeString(usr.resolve("80-ec2.network"), "[Match]\nName=ens*\n\n[Network]\nDHCP=yes\n");
        Files.writeString(etc.resolve("80-ec2.network"), "[Match]\nName=eth0\n");  // the admin's override
        assertTrue(ownership.ownerOf(10, "ens6", MAC).acceptable());
        Files.writeString(run.resolve("70-odd.network"), "[Match]\nName=ens6\nDriver=ena\n\n[Network]\nDHCP=yes\n");
        assertTrue(ownership.ownerOf(10, "ens6", MAC).acceptable(), "Driver= is not understood, so the file is not assumed to match");
    }

    @Test
    void networkManagerDevicesAreRefusedUnlessUnmanaged() throws IOException {
        var nm = Files.createDirectories(root.resolve("run/NetworkManager/devices"));
        Files.writeString(nm.resolve("12"), "[device]\nmanaged=true\n");
        assertInstanceOf(Owner.NetworkManager.class, ownership.ownerOf(12, "ens8", MAC));
        Files.writeString(nm.resolve("12"), "[device]\nmanaged=false\n");
        assertTrue(ownership.ownerOf(12, "ens8", MAC).acceptable());
    }
}
