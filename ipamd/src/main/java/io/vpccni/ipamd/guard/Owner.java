package io.vpccni.ipamd.guard;

/** Who manages a network link, as far as this node can tell. Only {@link Nobody} links may carry pods. */
public sealed interface Owner {
    /** What the operator should know: which manager, and why we think so. */
    String describe();

    /** No manager: no networkd state for it (or networkd says "unmanaged") and no file that would claim it. */
    record Nobody(String why) implements Owner {
        @Override
        public String describe() {
            return "nobody (" + why + ")";
        }
    }

    /** systemd-networkd manages it now: its ADMIN_STATE is anything but "unmanaged" (pending counts: it has not decided). */
    record Networkd(String adminState, String networkFile) implements Owner {
        @Override
        public String describe() {
            return "systemd-networkd (ADMIN_STATE=" + adminState + (networkFile.isEmpty() ? "" : ", " + networkFile) + ")";
        }
    }

    /** systemd-networkd will manage it at its next reload or restart: a .network file matches it. */
    record NetworkdPredicted(String networkFile) implements Owner {
        @Override
        public String describe() {
            return "systemd-networkd at its next reload (" + networkFile + " matches the link)";
        }
    }

    /** NetworkManager manages it. */
    record NetworkManager(String why) implements Owner {
        @Override
        public String describe() {
            return "NetworkManager (" + why + ")";
        }
    }

    default boolean acceptable() {
        return this instanceof Nobody;
    }
}
