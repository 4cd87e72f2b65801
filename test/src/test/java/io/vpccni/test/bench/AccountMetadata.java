package io.vpccni.test.bench;

import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.simcloud.Cidr;
import io.vpccni.simcloud.Ec2Error;
import io.vpccni.simcloud.NetworkInterface;
import io.vpccni.simcloud.SimulatedAccount;

import java.util.List;

/**
 * The instance metadata of one simulated instance, read straight from the account's state: what
 * {@code ImdsServer} answers (with no new-ENI delay), without an HTTP server per node. Lets a benchmark run
 * hundreds of nodes in one JVM while every ENI, address and attachment still comes from the simulated EC2.
 */
final class AccountMetadata implements InstanceMetadata {
    private final SimulatedAccount account;
    private final String instanceId;

    AccountMetadata(SimulatedAccount account, String instanceId) {
        this.account = account;
        this.instanceId = instanceId;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public String instanceType() throws MetadataException {
        return instance("instance-type").type().name();
    }

    @Override
    public String availabilityZone() throws MetadataException {
        return instance("placement/availability-zone").availabilityZone();
    }

    @Override
    public String localIpv4() throws MetadataException {
        return instance("local-ipv4").primaryInterface().primaryIp();
    }

    @Override
    public String primaryMac() throws MetadataException {
        return instance("mac").primaryInterface().macAddress();
    }

    @Override
    public List<String> macs() throws MetadataException {
        return instance("network/interfaces/macs/").networkInterfaces().stream().map(NetworkInterface::macAddress).toList();
    }

    @Override
    public String interfaceId(String mac) throws MetadataException {
        return eni(mac, "interface-id").id();
    }

    @Override
    public int deviceNumber(String mac) throws MetadataException {
        return eni(mac, "device-number").attachment().orElseThrow().deviceIndex();
    }

    @Override
    public int networkCard(String mac) throws MetadataException {
        return eni(mac, "network-card").attachment().orElseThrow().networkCardIndex();
    }

    @Override
    public String subnetId(String mac) throws MetadataException {
        return eni(mac, "subnet-id").subnetId();
    }

    @Override
    public String vpcId(String mac) throws MetadataException {
        return eni(mac, "vpc-id").vpcId();
    }

    @Override
    public String subnetIpv4CidrBlock(String mac) throws MetadataException {
        return account.subnet(eni(mac, "subnet-ipv4-cidr-block").subnetId()).cidr().toString();
    }

    @Override
    public List<String> vpcIpv4CidrBlocks(String mac) throws MetadataException {
        eni(mac, "vpc-ipv4-cidr-blocks");
        return account.vpcCidrs().stream().map(Cidr::toString).toList();
    }

    @Override
    public List<String> securityGroupIds(String mac) throws MetadataException {
        return eni(mac, "security-group-ids").securityGroupIds();
    }

    @Override
    public List<String> localIpv4s(String mac) throws MetadataException {
        return eni(mac, "local-ipv4s").allIps();
    }

    @Override
    public List<String> ipv4Prefixes(String mac) throws MetadataException {
        return eni(mac, "ipv4-prefix").prefixes();
    }

    private io.vpccni.simcloud.Instance instance(String path) throws MetadataException {
        try {
            return account.instance(instanceId);
        } catch (Ec2Error e) {
            throw new MetadataException(path, 404, "IMDS " + path + ": instance " + instanceId + " is gone", e);
        }
    }

    private NetworkInterface eni(String mac, String key) throws MetadataException {
        var path = "network/interfaces/macs/" + mac + "/" + key;
        return instance(path).networkInterfaces().stream().filter(e -> e.macAddress().equalsIgnoreCase(mac)).findFirst()
                .orElseThrow(() -> new MetadataException(path, 404, "IMDS " + path + ": no ENI with MAC " + mac
                        + " is attached to " + instanceId, null));
    }
}
