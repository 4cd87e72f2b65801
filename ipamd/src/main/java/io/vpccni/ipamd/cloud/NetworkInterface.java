package io.vpccni.ipamd.cloud;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ENI as EC2 describes it.
 *
 * @param eniId          {@code eni-…}
 * @param mac            the MAC address, lower case, the key IMDS uses for the same ENI
 * @param subnetId       the subnet the ENI lives in
 * @param vpcId          the VPC of that subnet
 * @param privateIp      the primary private IPv4 address
 * @param secondaryIps   the secondary private IPv4 addresses, primary excluded
 * @param prefixes       delegated IPv4 prefixes ({@code 10.0.0.16/28})
 * @param attachment     where the ENI is attached, empty while it is {@code available}
 * @param status         {@code available}, {@code in-use}, {@code attaching}, …
 * @param description    the free-text description; ours start with {@code aws-K8S-}
 * @param tags           the ENI's tags
 * @param interfaceType  what EC2 says the ENI is for; only {@link InterfaceType#INTERFACE} carries pod addresses
 */
public record NetworkInterface(
        String eniId,
        String mac,
        String subnetId,
        String vpcId,
        String privateIp,
        List<String> secondaryIps,
        List<String> prefixes,
        Optional<Attachment> attachment,
        String status,
        String description,
        Map<String, String> tags,
        InterfaceType interfaceType) {

    public NetworkInterface {
        interfaceType = Objects.requireNonNull(interfaceType, "interfaceType");
        Objects.requireNonNull(eniId, "eniId");
        secondaryIps = List.copyOf(secondaryIps);
        prefixes = List.copyOf(prefixes);
        attachment = Objects.requireNonNull(attachment, "attachment");
        tags = Map.copyOf(tags);
    }

    /**
     * The attachment of an ENI to an instance.
     *
     * @param deleteOnTermination whether EC2 deletes the ENI when the instance terminates
     */
    public record Attachment(String attachmentId, String instanceId, int deviceIndex, int networkCard,
                             String status, boolean deleteOnTermination) {}

    public Optional<String> attachmentId() {
        return attachment.map(Attachment::attachmentId);
    }
}
