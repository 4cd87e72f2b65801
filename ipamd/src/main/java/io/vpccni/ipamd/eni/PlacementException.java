package io.vpccni.ipamd.eni;

/**
 * No subnet can be chosen for a new ENI, for a reason an operator must fix (a missing or invalid ENIConfig, a
 * subnet in another availability zone). The pool stops creating ENIs, and says so in an event named
 * {@link #reason()}; addresses on the ENIs already attached are still used.
 */
public final class PlacementException extends Exception {
    private final String reason;

    public PlacementException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The event reason, a CamelCase word such as {@code EniConfigNotFound}. */
    public String reason() {
        return reason;
    }
}
