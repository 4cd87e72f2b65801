package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IMDS that lags: live until {@link #freeze()}, then it keeps answering what it said at that moment about the ENIs
 * attached and their addresses, whatever EC2 does meanwhile, until {@link #thaw()}. The frozen view can be edited to
 * make it lag differently per ENI.
 */
final class StaleImds implements InstanceMetadata {
    private final InstanceMetadata live;
    private List<String> macs;
    private final Map<String, String> ids = new HashMap<>();
    private final Map<String, List<String>> ips = new HashMap<>();
    private final Map<String, List<String>> prefixes = new HashMap<>();

    StaleImds(InstanceMetadata live) {
        this.live = live;
    }

    synchronized StaleImds freeze() throws MetadataException {
        macs = new ArrayList<>(live.macs());
        for (var mac : macs) {
            ids.put(mac, live.interfaceId(mac));
            ips.put(mac, new ArrayList<>(live.localIpv4s(mac)));
            prefixes.put(mac, new ArrayList<>(live.ipv4Prefixes(mac)));
        }
        return this;
    }

    synchronized void thaw() {
        macs = null;
    }

    /** The frozen view stops listing {@code address} (a secondary address or a prefix) on the ENI with {@code mac}. */
    synchronized void forget(String mac, String address) {
        ips.get(mac).remove(address);
        prefixes.get(mac).remove(address);
    }

    /** The frozen view lists {@code ip} on the ENI with {@code mac} as well. */
    synchronized void addIp(String mac, String ip) {
        ips.get(mac).add(ip);
    }

    @Override
    public synchronized List<String> macs() throws MetadataException {
        return macs == null ? live.macs() : List.copyOf(macs);
    }

    @Override
    public synchronized List<String> localIpv4s(String mac) throws MetadataException {
        return macs == null ? live.localIpv4s(mac) : List.copyOf(ips.get(mac));
    }

    @Override
    public synchronized List<String> ipv4Prefixes(String mac) throws MetadataException {
        return macs == null ? live.ipv4Prefixes(mac) : List.copyOf(prefixes.get(mac));
    }

    @Override
    public String instanceId() throws MetadataException {
        return live.instanceId();
    }

    @Override
    public String instanceType() throws MetadataException {
        return live.instanceType();
    }

    @Override
    public String availabilityZone() throws MetadataException {
        return live.availabilityZone();
    }

    @Override
    public String localIpv4() throws MetadataException {
        return live.localIpv4();
    }

    @Override
    public String primaryMac() throws MetadataException {
        return live.primaryMac();
    }

    @Override
    public synchronized String interfaceId(String mac) throws MetadataException {
        return macs == null ? live.interfaceId(mac) : ids.get(mac);
    }

    @Override
    public int deviceNumber(String mac) throws MetadataException {
        return live.deviceNumber(mac);
    }

    @Override
    public int networkCard(String mac) throws MetadataException {
        return live.networkCard(mac);
    }

    @Override
    public String subnetId(String mac) throws MetadataException {
        return live.subnetId(mac);
    }

    @Override
    public String vpcId(String mac) throws MetadataException {
        return live.vpcId(mac);
    }

    @Override
    public String subnetIpv4CidrBlock(String mac) throws MetadataException {
        return live.subnetIpv4CidrBlock(mac);
    }

    @Override
    public List<String> vpcIpv4CidrBlocks(String mac) throws MetadataException {
        return live.vpcIpv4CidrBlocks(mac);
    }

    @Override
    public List<String> securityGroupIds(String mac) throws MetadataException {
        return live.securityGroupIds(mac);
    }
}
