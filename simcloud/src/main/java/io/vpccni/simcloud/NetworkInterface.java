package io.vpccni.simcloud;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable snapshot of an ENI, taken under the account's lock; {@code interfaceType} as EC2 spells it. */
public record NetworkInterface(
        String id,
        String ownerId,
        String subnetId,
        String vpcId,
        String availabilityZone,
        String description,
        String macAddress,
        String primaryIp,
        List<String> secondaryIps,
        List<String> prefixes,
        List<String> securityGroupIds,
        Map<String, String> tags,
        Optional<Attachment> attachment,
        String interfaceType) {

    /** How the ENI is attached; {@code attachTime} drives the IMDS visibility delay. */
    public record Attachment(String id, String instanceId, int deviceIndex, int networkCardIndex,
                             boolean deleteOnTermination, Instant attachTime) {}

    public String status() {
        return attachment.isPresent() ? "in-use" : "available";
    }

    /** Primary first, as IMDS {@code local-ipv4s} and EC2 list them. */
    public List<String> allIps() {
        var all = new java.util.ArrayList<String>(1 + secondaryIps.size());
        all.add(primaryIp);
        all.addAll(secondaryIps);
        return List.copyOf(all);
    }
}
