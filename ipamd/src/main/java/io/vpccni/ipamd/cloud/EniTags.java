package io.vpccni.ipamd.cloud;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The description and tags every ENI this daemon creates carries, so that leak cleanup can find its own. */
public final class EniTags {
    public static final String DESCRIPTION_PREFIX = "aws-K8S-";
    public static final String INSTANCE_ID = "node.k8s.amazonaws.com/instance_id";
    public static final String CREATED_AT = "node.k8s.amazonaws.com/createdAt";
    public static final String CLUSTER_NAME = "cluster.k8s.amazonaws.com/name";
    public static final String NO_MANAGE = "node.k8s.amazonaws.com/no_manage";
    public static final String OWNER = "eks:eni:owner";
    public static final String OWNER_VALUE = "amazon-vpc-cni";
    /** Keys the operator may not set through ADDITIONAL_ENI_TAGS: they would confuse ownership. */
    private static final String RESERVED_KEY_PART = "k8s.amazonaws.com";

    private EniTags() {}

    public static String description(String instanceId) {
        return DESCRIPTION_PREFIX + instanceId;
    }

    /** RFC 3339 in UTC at second precision, e.g. {@code 2024-05-01T12:00:00Z}. */
    public static String timestamp(Instant at) {
        return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    /**
     * The tags for a new ENI: the operator's extra tags (minus reserved keys), then ours, which win on a clash.
     */
    public static Map<String, String> forNewEni(String instanceId, Instant createdAt, Optional<String> clusterName,
                                                Map<String, String> additionalTags) {
        var tags = new LinkedHashMap<String, String>();
        additionalTags.forEach((k, v) -> {
            if (!k.contains(RESERVED_KEY_PART)) {
                tags.put(k, v);
            }
        });
        tags.put(INSTANCE_ID, instanceId);
        tags.put(CREATED_AT, timestamp(createdAt));
        clusterName.filter(n -> !n.isBlank()).ifPresent(n -> {
            tags.put(CLUSTER_NAME, n);
            tags.put(OWNER, OWNER_VALUE);
        });
        return tags;
    }
}
