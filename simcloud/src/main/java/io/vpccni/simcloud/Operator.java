package io.vpccni.simcloud;

import java.util.List;

/**
 * Changes to the account made behind the daemon's back, as a Java API for tests: a human in the console, another
 * controller, or EC2 itself (terminating an instance). They are not EC2 Query calls, so they are neither throttled
 * nor counted in {@link ApiCounters}; they obey EC2's rules all the same (limits, zones, the primary ENI stays) and
 * fail with the {@link Ec2Error} EC2 would answer. IMDS reflects each at once (or after
 * {@link ImdsServer#changeLag}), and attachment listeners see attaches and detaches as from the API.
 */
public final class Operator {
    private final SimulatedAccount account;

    Operator(SimulatedAccount account) {
        this.account = account;
    }

    /** Assigns {@code count} secondary addresses, the subnet's lowest free ones. @return them */
    public List<String> assignIps(String eniId, int count) {
        return account.assignPrivateIps(eniId, count, List.of(), 0).ips();
    }

    /** Assigns one given secondary address (InvalidIPAddress.InUse when someone holds it). */
    public void assignIp(String eniId, String ip) {
        account.assignPrivateIps(eniId, 0, List.of(ip), 0);
    }

    /** Delegates one /28 prefix, the subnet's lowest wholly free one. @return it, e.g. {@code 10.0.1.16/28} */
    public String assignPrefix(String eniId) {
        return account.assignPrivateIps(eniId, 0, List.of(), 1).prefixes().getFirst();
    }

    /** Takes a secondary address off the ENI; it goes back to the subnet. */
    public void unassignIp(String eniId, String ip) {
        account.unassignPrivateIps(eniId, List.of(ip), List.of());
    }

    /** Takes a delegated prefix off the ENI; its 16 addresses go back to the subnet. */
    public void unassignPrefix(String eniId, String prefix) {
        account.unassignPrivateIps(eniId, List.of(), List.of(prefix));
    }

    /** Force-detaches the ENI from whatever instance holds it; it becomes {@code available}. */
    public void detach(String eniId) {
        var attachment = account.networkInterface(eniId).attachment().orElseThrow(() -> new Ec2Error("IncorrectState",
                "Network interface '" + eniId + "' is not attached to an instance."));
        account.detachNetworkInterface(attachment.id(), true);
    }

    /** Attaches an existing, available ENI to {@code instanceId} at {@code deviceIndex} on network card 0. @return the attachment id */
    public String attach(String eniId, String instanceId, int deviceIndex) {
        return account.attachNetworkInterface(eniId, instanceId, deviceIndex, 0);
    }

    /** Deletes an {@code available} ENI (InvalidParameterValue while it is attached); its addresses go back to the subnet. */
    public void delete(String eniId) {
        account.deleteNetworkInterface(eniId);
    }

    /** Terminates the instance: ENIs marked delete-on-termination are deleted, the others become {@code available}. */
    public void terminate(String instanceId) {
        account.terminateInstance(instanceId);
    }
}
