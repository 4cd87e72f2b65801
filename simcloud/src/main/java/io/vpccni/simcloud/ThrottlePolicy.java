package io.vpccni.simcloud;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Request-token bucket sizes per EC2 action. Defaults follow the categories of the EC2 API throttling
 * documentation as known to the authors (bucket capacity / refill per second):
 * non-mutating (Describe*) 100/20, unfiltered and unpaginated non-mutating 50/10, mutating 200/5,
 * resource-intensive 50/5, uncategorized 50/5. Per-action overrides replace the category's values.
 */
public record ThrottlePolicy(Map<Category, Bucket> categories, Map<String, Bucket> overrides) {

    public record Bucket(int capacity, double refillPerSecond) {
        public Bucket {
            if (capacity < 1 || refillPerSecond < 0) {
                throw new IllegalArgumentException("bucket needs capacity >= 1 and refill >= 0, got " + capacity + "/" + refillPerSecond);
            }
        }
    }

    public enum Category { NON_MUTATING, UNFILTERED_NON_MUTATING, MUTATING, RESOURCE_INTENSIVE, UNCATEGORIZED }

    /** Suffix of the bucket key for unfiltered, unpaginated Describe calls, which EC2 meters separately. */
    static final String UNFILTERED = " (unfiltered)";

    private static final Set<String> MUTATING = Set.of("CreateNetworkInterface", "AttachNetworkInterface",
            "ModifyNetworkInterfaceAttribute", "AssignPrivateIpAddresses", "UnassignPrivateIpAddresses",
            "DetachNetworkInterface", "DeleteNetworkInterface", "CreateTags", "AssignIpv6Addresses",
            "UnassignIpv6Addresses", "DeleteTags");
    // Listed for completeness; the simulator implements none of them.
    private static final Set<String> RESOURCE_INTENSIVE = Set.of("RunInstances", "StartInstances", "StopInstances",
            "TerminateInstances", "CreateVolume", "AttachVolume", "DetachVolume", "DeleteVolume");

    public ThrottlePolicy {
        categories = Map.copyOf(categories);
        overrides = Map.copyOf(overrides);
    }

    public static ThrottlePolicy defaults() {
        return new ThrottlePolicy(Map.of(
                Category.NON_MUTATING, new Bucket(100, 20),
                Category.UNFILTERED_NON_MUTATING, new Bucket(50, 10),
                Category.MUTATING, new Bucket(200, 5),
                Category.RESOURCE_INTENSIVE, new Bucket(50, 5),
                Category.UNCATEGORIZED, new Bucket(50, 5)), Map.of());
    }

    /** A copy with one action's bucket replaced, e.g. to provoke throttling with few calls. */
    public ThrottlePolicy with(String action, Bucket bucket) {
        var copy = new HashMap<>(overrides);
        copy.put(action, bucket);
        return new ThrottlePolicy(categories, copy);
    }

    public ThrottlePolicy with(Category category, Bucket bucket) {
        var copy = new HashMap<>(categories);
        copy.put(category, bucket);
        return new ThrottlePolicy(copy, overrides);
    }

    static Category categoryOf(String bucketKey) {
        if (bucketKey.endsWith(UNFILTERED)) return Category.UNFILTERED_NON_MUTATING;
        if (bucketKey.startsWith("Describe")) return Category.NON_MUTATING;
        if (MUTATING.contains(bucketKey)) return Category.MUTATING;
        if (RESOURCE_INTENSIVE.contains(bucketKey)) return Category.RESOURCE_INTENSIVE;
        return Category.UNCATEGORIZED;
    }

    Bucket bucketFor(String bucketKey) {
        var override = overrides.get(bucketKey);
        return override != null ? override : categories.get(categoryOf(bucketKey));
    }

    /** The bucket a request draws from: Describe calls without IDs, filters or MaxResults have their own. */
    static String bucketKey(QueryRequest q) {
        String action = q.action();
        if (action.startsWith("Describe") && !action.equals("DescribeInstanceTypes")
                && q.params().keySet().stream().noneMatch(k -> k.contains("Id.") || k.startsWith("Filter.") || k.equals("MaxResults"))) {
            return action + UNFILTERED;
        }
        return action;
    }
}
