package io.vpccni.simcloud;

/**
 * Told when an ENI is attached to or detached from an instance, so that a node simulator can make it appear
 * in (or vanish from) the node's network namespace, e.g. as a veth end named {@code ensN} with the ENI's MAC.
 * Called after the account's lock is released, on the thread that made the API call.
 */
public interface AttachmentListener {
    void attached(String instanceId, NetworkInterface eni);

    void detached(String instanceId, NetworkInterface eni);
}
