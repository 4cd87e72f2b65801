package io.vpccni.ipamd.doctor;

/** The daemon's answer to CNI STATUS: whether ADDs are served now and, if not, why. */
public record DaemonStatus(boolean ready, String reason, int availableAddresses, int assignedAddresses) {
}
