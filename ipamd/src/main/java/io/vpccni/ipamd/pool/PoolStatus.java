package io.vpccni.ipamd.pool;

/** Whether the pool can serve ADDs now, and if not, why, in words an operator can act on. */
public record PoolStatus(boolean ready, String reason, int availableAddresses, int assignedAddresses) {
    public static PoolStatus notReady(String reason) {
        return new PoolStatus(false, reason, 0, 0);
    }
}
