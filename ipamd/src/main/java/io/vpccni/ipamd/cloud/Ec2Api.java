package io.vpccni.ipamd.cloud;

import java.util.List;
import java.util.Map;

/**
 * The EC2 calls the daemon makes, in domain terms: no SDK type crosses this interface. {@link SdkEc2Api} is
 * the real one; tests use a hand-written stateful fake.
 *
 * <p>Every method throws {@link CloudException}, whose subtype says how to react.
 */
public interface Ec2Api {

    /** CreateNetworkInterface: a new, unattached ENI with the requested secondary IPs or prefixes. */
    NetworkInterface createNetworkInterface(CreateEniRequest request) throws CloudException;

    /** AttachNetworkInterface; returns the attachment id. */
    String attach(String eniId, String instanceId, int deviceIndex, int networkCard) throws CloudException;

    /** ModifyNetworkInterfaceAttribute on the attachment's DeleteOnTermination flag. */
    void setDeleteOnTermination(String eniId, String attachmentId, boolean deleteOnTermination) throws CloudException;

    /** DescribeNetworkInterfaces by id. */
    List<NetworkInterface> describeNetworkInterfaces(List<String> eniIds) throws CloudException;

    /** DescribeNetworkInterfaces by filters, all pages. */
    List<NetworkInterface> findNetworkInterfaces(List<Filter> filters) throws CloudException;

    /** AssignPrivateIpAddresses with a count; returns the addresses EC2 assigned. */
    List<String> assignPrivateIps(String eniId, int count) throws CloudException;

    /** AssignPrivateIpAddresses with Ipv4PrefixCount; returns the /28 prefixes EC2 assigned. */
    List<String> assignPrefixes(String eniId, int count) throws CloudException;

    /** UnassignPrivateIpAddresses for these secondary addresses. */
    void unassignPrivateIps(String eniId, List<String> ips) throws CloudException;

    /** UnassignPrivateIpAddresses for these /28 prefixes. */
    void unassignPrefixes(String eniId, List<String> prefixes) throws CloudException;

    /** DetachNetworkInterface. */
    void detach(String attachmentId, boolean force) throws CloudException;

    /** DeleteNetworkInterface. */
    void delete(String eniId) throws CloudException;

    /** DescribeInstances for one instance: its type, subnet and attached ENIs (device index per card). */
    Instance describeInstance(String instanceId) throws CloudException;

    /** DescribeSubnets by id. */
    List<Subnet> describeSubnets(List<String> subnetIds) throws CloudException;

    /** DescribeSubnets by filters, all pages. */
    List<Subnet> findSubnets(List<Filter> filters) throws CloudException;

    /** DescribeInstanceTypes for one type. */
    InstanceTypeInfo describeInstanceType(String instanceType) throws CloudException;

    /** CreateTags on these resources. */
    void createTags(List<String> resourceIds, Map<String, String> tags) throws CloudException;
}
