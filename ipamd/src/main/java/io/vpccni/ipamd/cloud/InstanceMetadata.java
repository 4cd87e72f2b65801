package io.vpccni.ipamd.cloud;

import java.util.List;

/**
 * What the instance metadata service says about this node and its ENIs. IMDS decides which ENIs are present
 * on the node; EC2 is asked when IMDS and the datastore disagree. {@link ImdsClient} is the real one.
 *
 * <p>Per-ENI methods take the ENI's MAC (lower case, as in {@link #macs()}).
 */
public interface InstanceMetadata {
    String instanceId() throws MetadataException;

    String instanceType() throws MetadataException;

    String availabilityZone() throws MetadataException;

    /** The primary private IPv4 address of the primary ENI. */
    String localIpv4() throws MetadataException;

    /** The MAC of the primary ENI. */
    String primaryMac() throws MetadataException;

    /** The MACs of every ENI attached to the instance. */
    List<String> macs() throws MetadataException;

    String interfaceId(String mac) throws MetadataException;

    int deviceNumber(String mac) throws MetadataException;

    /** The network card the ENI is on; 0 on instance types that do not publish it. */
    int networkCard(String mac) throws MetadataException;

    String subnetId(String mac) throws MetadataException;

    String vpcId(String mac) throws MetadataException;

    String subnetIpv4CidrBlock(String mac) throws MetadataException;

    List<String> vpcIpv4CidrBlocks(String mac) throws MetadataException;

    List<String> securityGroupIds(String mac) throws MetadataException;

    /** Primary first, then the secondary addresses. */
    List<String> localIpv4s(String mac) throws MetadataException;

    /** Delegated /28 prefixes; empty when the ENI has none (IMDS answers 404). */
    List<String> ipv4Prefixes(String mac) throws MetadataException;
}
