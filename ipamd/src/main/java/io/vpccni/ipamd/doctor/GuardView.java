package io.vpccni.ipamd.doctor;

import java.util.List;

/** The daemon's {@code GET /v1/guard}: its ENIs with who it thinks manages each, and what its healer put back. */
public record GuardView(List<Eni> enis, Heals heals) {
    public GuardView {
        enis = List.copyOf(enis);
    }

    /** {@code link} is "" while the ENI has no link yet; {@code owner} is none, systemd-networkd, ... */
    public record Eni(String eniId, String mac, String link, int linkIndex, boolean primary, int deviceNumber,
                      int routeTable, String primaryIp, String owner, String ownerDetail, boolean refused) {
        public String describe() {
            return eniId + (link.isEmpty() ? "" : " (" + link + ")");
        }
    }

    public record Heals(Restored restored, List<Heal> recent) {
        public Heals {
            recent = List.copyOf(recent);
        }
    }

    public record Restored(long rules, long routes, long addresses) {
    }

    public record Heal(String at, String cause, int rules, int routes, int addresses) {
    }
}
