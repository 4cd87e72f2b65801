package io.vpccni.test.bench;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.CreateEniRequest;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.Filter;
import io.vpccni.ipamd.cloud.Instance;
import io.vpccni.ipamd.cloud.InstanceTypeInfo;
import io.vpccni.ipamd.cloud.NetworkInterface;
import io.vpccni.ipamd.cloud.Subnet;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the daemon asked of {@link Ec2Api} and which calls still failed after the SDK's retries, per EC2
 * action, across all nodes. The simulator's counters see HTTP attempts; these see the product's calls, so the
 * two together show how many attempts each call took and how many calls the pool had to give up on.
 */
final class CountingEc2Api implements Ec2Api {
    /** Per action: calls made, calls that failed throttled after all attempts, calls that failed otherwise. */
    record Outcomes(long calls, long throttled, long failed) {
    }

    static final class Tally {
        private final Map<String, LongAdder[]> byAction = new ConcurrentHashMap<>();

        private LongAdder[] of(String action) {
            return byAction.computeIfAbsent(action, a -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
        }

        Map<String, Outcomes> snapshot() {
            var out = new TreeMap<String, Outcomes>();
            byAction.forEach((k, v) -> out.put(k, new Outcomes(v[0].sum(), v[1].sum(), v[2].sum())));
            return out;
        }
    }

    private interface Call<T> {
        T run() throws CloudException;
    }

    private interface VoidCall {
        void run() throws CloudException;
    }

    private final Ec2Api delegate;
    private final Tally tally;

    CountingEc2Api(Ec2Api delegate, Tally tally) {
        this.delegate = delegate;
        this.tally = tally;
    }

    private <T> T count(String action, Call<T> call) throws CloudException {
        var adders = tally.of(action);
        adders[0].increment();
        try {
            return call.run();
        } catch (CloudException.Throttled e) {
            adders[1].increment();
            throw e;
        } catch (CloudException e) {
            adders[2].increment();
            throw e;
        }
    }

    private void count(String action, VoidCall call) throws CloudException {
        count(action, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public NetworkInterface createNetworkInterface(CreateEniRequest request) throws CloudException {
        return count("CreateNetworkInterface", () -> delegate.createNetworkInterface(request));
    }

    @Override
    public String attach(String eniId, String instanceId, int deviceIndex, int networkCard) throws CloudException {
        return count("AttachNetworkInterface", () -> delegate.attach(eniId, instanceId, deviceIndex, networkCard));
    }

    @Override
    public void setDeleteOnTermination(String eniId, String attachmentId, boolean deleteOnTermination) throws CloudException {
        count("ModifyNetworkInterfaceAttribute", () -> delegate.setDeleteOnTermination(eniId, attachmentId, deleteOnTermination));
    }

    @Override
    public List<NetworkInterface> describeNetworkInterfaces(List<String> eniIds) throws CloudException {
        return count("DescribeNetworkInterfaces", () -> delegate.describeNetworkInterfaces(eniIds));
    }

    @Override
    public List<NetworkInterface> findNetworkInterfaces(List<Filter> filters) throws CloudException {
        return count("DescribeNetworkInterfaces", () -> delegate.findNetworkInterfaces(filters));
    }

    @Override
    public List<String> assignPrivateIps(String eniId, int count) throws CloudException {
        return count("AssignPrivateIpAddresses", () -> delegate.assignPrivateIps(eniId, count));
    }

    @Override
    public List<String> assignPrefixes(String eniId, int count) throws CloudException {
        return count("AssignPrivateIpAddresses", () -> delegate.assignPrefixes(eniId, count));
    }

    @Override
    public void unassignPrivateIps(String eniId, List<String> ips) throws CloudException {
        count("UnassignPrivateIpAddresses", () -> delegate.unassignPrivateIps(eniId, ips));
    }

    @Override
    public void unassignPrefixes(String eniId, List<String> prefixes) throws CloudException {
        count("UnassignPrivateIpAddresses", () -> delegate.unassignPrefixes(eniId, prefixes));
    }

    @Override
    public void detach(String attachmentId, boolean force) throws CloudException {
        count("DetachNetworkInterface", () -> delegate.detach(attachmentId, force));
    }

    @Override
    public void delete(String eniId) throws CloudException {
        count("DeleteNetworkInterface", () -> delegate.delete(eniId));
    }

    @Override
    public Instance describeInstance(String instanceId) throws CloudException {
        return count("DescribeInstances", () -> delegate.describeInstance(instanceId));
    }

    @Override
    public List<Subnet> describeSubnets(List<String> subnetIds) throws CloudException {
        return count("DescribeSubnets", () -> delegate.describeSubnets(subnetIds));
    }

    @Override
    public List<Subnet> findSubnets(List<Filter> filters) throws CloudException {
        return count("DescribeSubnets", () -> delegate.findSubnets(filters));
    }

    @Override
    public InstanceTypeInfo describeInstanceType(String instanceType) throws CloudException {
        return count("DescribeInstanceTypes", () -> delegate.describeInstanceType(instanceType));
    }

    @Override
    public void createTags(List<String> resourceIds, Map<String, String> tags) throws CloudException {
        count("CreateTags", () -> delegate.createTags(resourceIds, tags));
    }
}
