package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.checkpoint.Checkpoint;
import io.vpccni.ipamd.checkpoint.CheckpointFile;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The checkpoint, read as a restarted daemon would read it: a file it cannot trust stops it assigning addresses
 * after a restart; allocations that differ from the pods it serves now mean one of the two is wrong.
 */
final class CheckpointCheck {
    private static final int SHOWN = 10;

    private CheckpointCheck() {
    }

    static List<Finding> findings(CheckpointFile.Reading reading, Answer<PodsView> pods) {
        var view = pods.orNull();
        return switch (reading) {
            case CheckpointFile.Absent a when view != null && !view.pods().isEmpty() -> List.of(Finding.warning("checkpoint", a.file().toString(),
                    "there is no checkpoint, yet the daemon holds " + Plural.of(view.pods().size(), "pod") + ": a restarted daemon would not know their addresses",
                    List.of("no " + a.file(), "daemon: " + Plural.of(view.pods().size(), "pod")),
                    "Check that AWS_VPC_K8S_CNI_BACKING_STORE is the same for the doctor and the daemon and that its directory is on the host (/var/run/aws-node)."));
            case CheckpointFile.Absent a -> List.of(Finding.ok("checkpoint", a.file().toString(), "no checkpoint yet: a node that has served no pod",
                    List.of("no " + a.file())));
            case CheckpointFile.Unreadable u -> List.of(Finding.problem("checkpoint", u.file().toString(),
                    u.unsupportedVersion() ? "the checkpoint is in a format this aws-node does not read: after a restart it assigns no address"
                            : "the checkpoint cannot be trusted: after a restart aws-node assigns no address, as it cannot tell which pods hold which",
                    List.of(u.why()), u.unsupportedVersion()
                            ? "Run the aws-node release that wrote it (it reads it as it is), or cordon and drain the node, move the file aside and reboot."
                            : "Repair the file (JSON, format \"" + Checkpoint.VERSION + "\") and restart aws-node; or cordon and drain the node, copy the file off"
                            + " for diagnosis, move it aside (do not just delete it) and reboot."));
            case CheckpointFile.Read r -> compare(r, view);
        };
    }

    private static List<Finding> compare(CheckpointFile.Read read, PodsView view) {
        var file = read.file().toString();
        var entries = read.checkpoint().allocations();
        var evidence = new ArrayList<String>();
        evidence.add(file + ": version " + Checkpoint.VERSION + ", " + Plural.of(entries.size(), "allocation"));
        if (view == null) {
            return List.of(Finding.ok("checkpoint", file, "the checkpoint reads (not compared: the daemon's pods are unknown)", evidence));
        }
        var saved = new TreeSet<String>();
        entries.forEach(e -> saved.add(key(e.containerId(), e.ifName(), e.ipv4().isEmpty() ? e.ipv6() : e.ipv4())));
        var served = new TreeSet<String>();
        view.pods().forEach(p -> served.add(key(p.containerId(), p.ifName(), p.ip())));
        var onlySaved = new TreeSet<>(saved);
        onlySaved.removeAll(served);
        var onlyServed = new TreeSet<>(served);
        onlyServed.removeAll(saved);
        if (onlySaved.isEmpty() && onlyServed.isEmpty()) {
            return List.of(Finding.ok("checkpoint", file, "the checkpoint holds exactly the daemon's " + Plural.of(served.size(), "pod"), evidence));
        }
        onlySaved.stream().limit(SHOWN).forEach(k -> evidence.add("only in the checkpoint: " + k));
        onlyServed.stream().limit(SHOWN).forEach(k -> evidence.add("only in the daemon: " + k));
        return List.of(Finding.warning("checkpoint-pods", file, Plural.of(onlySaved.size(), "allocation") + " only in the checkpoint, " + Plural.of(onlyServed.size(), "pod")
                        + " only in the daemon: a restarted daemon would not hold the same addresses",
                evidence, "Run the doctor again (a pod added or deleted between the two reads shows here once); if it stays, the daemon"
                        + " cannot save: its log names the checkpoint error."));
    }

    private static String key(String containerId, String ifName, String ip) {
        return (containerId.length() > 12 ? containerId.substring(0, 12) : containerId) + " " + ifName + " " + ip;
    }
}
