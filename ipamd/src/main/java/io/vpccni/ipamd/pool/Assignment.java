package io.vpccni.ipamd.pool;

/** The result of assigning an address: {@code fresh} is false when the key already held one (an idempotent retry). */
public record Assignment(Allocation allocation, boolean fresh) {
}
