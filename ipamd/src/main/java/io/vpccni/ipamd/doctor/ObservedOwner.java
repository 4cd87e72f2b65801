package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.guard.LinkOwnership;
import io.vpccni.ipamd.guard.Owner;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Who manages an ENI's link, decided here by the guard's own {@link LinkOwnership} (not taken from the daemon),
 * with the lines of the managers' state files it rests on.
 *
 * @param link "" when the kernel has no link with the ENI's MAC
 */
public record ObservedOwner(String eniId, String link, int ifindex, Owner owner, List<String> evidence) {
    public ObservedOwner {
        evidence = List.copyOf(evidence);
    }

    static ObservedOwner observe(LinkOwnership ownership, LinkOwnership.Paths paths, String eniId, String link, int ifindex, String mac) {
        var owner = ownership.ownerOf(ifindex, link, mac);
        var evidence = new ArrayList<String>();
        var state = paths.networkdLinks().resolve(Integer.toString(ifindex));
        if (Files.exists(state)) {
            try {
                Files.readAllLines(state).stream().filter(l -> l.startsWith("ADMIN_STATE=") || l.startsWith("NETWORK_FILE="))
                        .forEach(l -> evidence.add(state + ": " + l));
            } catch (IOException e) {
                evidence.add(state + ": cannot be read (" + e.getMessage() + ")");
            }
        } else {
            evidence.add("no " + state + " (systemd-networkd is not running, or has not seen " + link + ")");
        }
        var nm = paths.networkManagerDevices().resolve(Integer.toString(ifindex));
        if (Files.exists(nm)) {
            evidence.add(nm + " exists (NetworkManager has the device)");
        }
        evidence.add("decided here: " + owner.describe());
        return new ObservedOwner(eniId, link, ifindex, owner, evidence);
    }
}
