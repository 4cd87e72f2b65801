package io.vpccni.ipamd.cloud;

import java.util.ArrayList;
import java.util.List;

/** IMDS as {@link FakeEc2}'s instance sees it: every attached ENI at once (no propagation delay). */
public final class FakeImds implements InstanceMetadata {
    private final FakeEc2 ec2;
    private volatile boolean hideNewEnis;

    public FakeImds(FakeEc2 ec2) {
        this.ec2 = ec2;
    }

    /** IMDS never lists ENIs attached from now on, as when its view lags for longer than anyone waits. */
    public void hideNewEnis() {
        hideNewEnis = true;
    }

    @Override
    public String instanceId() {
        return ec2.instanceId();
    }

    @Override
    public String instanceType() {
        return "m5.large";
    }

    @Override
    public String availabilityZone() {
        return "us-west-2a";
    }

    @Override
    public String localIpv4() {
        return ec2.attachedEnis().getFirst().primaryIp;
    }

    @Override
    public String primaryMac() {
        return ec2.attachedEnis().getFirst().mac;
    }

    @Override
    public List<String> macs() {
        var macs = new ArrayList<String>();
        for (var eni : ec2.attachedEnis()) {
            if (!hideNewEnis || eni.device == 0) {
                macs.add(eni.mac);
            }
        }
        return macs;
    }

    @Override
    public String interfaceId(String mac) {
        return ec2.byMac(mac).id;
    }

    @Override
    public int deviceNumber(String mac) {
        return ec2.byMac(mac).device;
    }

    @Override
    public int networkCard(String mac) {
        return ec2.byMac(mac).card;
    }

    @Override
    public String subnetId(String mac) {
        return FakeEc2.SUBNET;
    }

    @Override
    public String vpcId(String mac) {
        return "vpc-1";
    }

    @Override
    public String subnetIpv4CidrBlock(String mac) {
        return FakeEc2.SUBNET_CIDR;
    }

    @Override
    public List<String> vpcIpv4CidrBlocks(String mac) {
        return List.of(FakeEc2.SUBNET_CIDR);
    }

    @Override
    public List<String> securityGroupIds(String mac) {
        return List.of("sg-1");
    }

    @Override
    public List<String> localIpv4s(String mac) {
        var eni = ec2.byMac(mac);
        synchronized (ec2) {
            var all = new ArrayList<String>();
            all.add(eni.primaryIp);
            all.addAll(eni.secondaryIps);
            return all;
        }
    }

    @Override
    public List<String> ipv4Prefixes(String mac) {
        var eni = ec2.byMac(mac);
        synchronized (ec2) {
            return List.copyOf(eni.prefixes);
        }
    }
}
