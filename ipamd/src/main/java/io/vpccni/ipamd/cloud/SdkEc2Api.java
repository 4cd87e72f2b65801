package io.vpccni.ipamd.cloud;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@link Ec2Api} over the AWS SDK for Java v2, with the JDK URLConnection HTTP client (the SDK's Netty client
 * would drag Netty 4.1 next to the daemon's Netty 4.2).
 *
 * <p>Retries: the SDK's adaptive strategy, which backs off and also rate-limits this client once EC2 starts
 * throttling, so that one node does not eat the account's request budget. Attempts are bounded so the pool
 * learns about a persistent failure and can decide itself.
 */
public final class SdkEc2Api implements Ec2Api, AutoCloseable {
    /** Attempts per call, the first included. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** Upstream's floor and default for {@code HTTP_TIMEOUT}. */
    public static final Duration MIN_HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final Ec2Client ec2;

    /**
     * How to reach EC2.
     *
     * @param endpoint    an endpoint override ({@code AWS_EC2_ENDPOINT}, or a simulator); empty for the region's
     * @param region      the region; empty to take it from the SDK's chain (env, profile, IMDS)
     * @param credentials where credentials come from
     * @param timeout     per-attempt timeout ({@code HTTP_TIMEOUT})
     * @param maxAttempts attempts per call, first included
     * @param backoff     delay between attempts; empty for the SDK's default (tests use none)
     * @param userAgent   appended to the SDK's user agent, e.g. {@code amazon-vpc-cni-k8s/1.0.0}
     */
    public record Settings(Optional<URI> endpoint, Optional<String> region, AwsCredentialsProvider credentials,
                           Duration timeout, int maxAttempts, Optional<BackoffStrategy> backoff,
                           Optional<String> userAgent) {
        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("EC2 client: maxAttempts must be >= 1, got " + maxAttempts);
            }
        }

        /**
         * Settings from the daemon's environment: {@code AWS_EC2_ENDPOINT}, {@code HTTP_TIMEOUT} (seconds,
         * at least 10), region and credentials from the SDK's default chains.
         */
        public static Settings fromEnvironment(Map<String, String> env, String version) {
            var endpoint = Optional.ofNullable(env.get("AWS_EC2_ENDPOINT")).filter(s -> !s.isBlank()).map(URI::create);
            return new Settings(endpoint, Optional.empty(), DefaultCredentialsProvider.builder().build(),
                    httpTimeout(env.get("HTTP_TIMEOUT")), DEFAULT_MAX_ATTEMPTS, Optional.empty(),
                    Optional.of("amazon-vpc-cni-k8s/" + version));
        }
    }

    public SdkEc2Api(Settings settings) {
        this(buildClient(settings, List.of()));
    }

    /** @param interceptors see every call, e.g. {@link Ec2CallMetrics} */
    public SdkEc2Api(Settings settings, List<ExecutionInterceptor> interceptors) {
        this(buildClient(settings, interceptors));
    }

    /** A client against a fixed endpoint, region and credentials: simulators and tests. */
    public SdkEc2Api(URI endpoint, String region, AwsCredentialsProvider credentials) {
        this(new Settings(Optional.of(endpoint), Optional.of(region), credentials, MIN_HTTP_TIMEOUT,
                DEFAULT_MAX_ATTEMPTS, Optional.empty(), Optional.empty()));
    }

    SdkEc2Api(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** {@code HTTP_TIMEOUT} in seconds; unset, unparsable or below 10 means 10 s, as upstream. */
    static Duration httpTimeout(String value) {
        if (value == null || value.isBlank()) {
            return MIN_HTTP_TIMEOUT;
        }
        try {
            var t = Duration.ofSeconds(Long.parseLong(value.trim()));
            return t.compareTo(MIN_HTTP_TIMEOUT) < 0 ? MIN_HTTP_TIMEOUT : t;
        } catch (NumberFormatException e) {
            return MIN_HTTP_TIMEOUT;
        }
    }

    /**
     * The attempt timeouts of every EC2 client in the process, on one timer thread: the SDK's own default is a pool
     * of five threads per client, idle but for a timer that is almost always cancelled.
     */
    private static final java.util.concurrent.ScheduledExecutorService TIMEOUTS = timeouts();

    private static java.util.concurrent.ScheduledExecutorService timeouts() {
        var timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("ec2-call-timeouts").unstarted(r));
        timer.setRemoveOnCancelPolicy(true);  // a call that answered in time leaves nothing queued behind it
        return timer;
    }

    private static Ec2Client buildClient(Settings s, List<ExecutionInterceptor> interceptors) {
        AdaptiveRetryStrategy.Builder retry = AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
                .maxAttempts(s.maxAttempts());
        s.backoff().ifPresent(b -> retry.backoffStrategy(b).throttlingBackoffStrategy(b));
        var override = ClientOverrideConfiguration.builder()
                .retryStrategy(retry.build())
                .apiCallAttemptTimeout(s.timeout())
                .scheduledExecutorService(TIMEOUTS);  // shared: the SDK never shuts down an executor it was given
        interceptors.forEach(override::addExecutionInterceptor);
        s.userAgent().ifPresent(ua -> override.putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, ua));
        var builder = Ec2Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(s.timeout())
                        .socketTimeout(s.timeout()))
                .credentialsProvider(s.credentials())
                .overrideConfiguration(override.build());
        s.endpoint().ifPresent(builder::endpointOverride);
        s.region().ifPresent(r -> builder.region(Region.of(r)));
        return builder.build();
    }

    @Override
    public NetworkInterface createNetworkInterface(CreateEniRequest r) throws CloudException {
        var resp = call("CreateNetworkInterface", "subnet " + r.subnetId(), () -> ec2.createNetworkInterface(b -> {
            b.subnetId(r.subnetId()).description(r.description());
            if (!r.securityGroupIds().isEmpty()) {
                b.groups(r.securityGroupIds());
            }
            if (r.secondaryIpCount() > 0) {
                b.secondaryPrivateIpAddressCount(r.secondaryIpCount());
            }
            if (r.prefixCount() > 0) {
                b.ipv4PrefixCount(r.prefixCount());
            }
            if (!r.tags().isEmpty()) {
                b.tagSpecifications(TagSpecification.builder().resourceType(ResourceType.NETWORK_INTERFACE)
                        .tags(sdkTags(r.tags())).build());
            }
        }));
        return Ec2Mapping.networkInterface(resp.networkInterface());
    }

    @Override
    public String attach(String eniId, String instanceId, int deviceIndex, int networkCard) throws CloudException {
        return call("AttachNetworkInterface", eniId + " to " + instanceId + " at device " + deviceIndex
                + " card " + networkCard, () -> ec2.attachNetworkInterface(b -> b.networkInterfaceId(eniId)
                .instanceId(instanceId).deviceIndex(deviceIndex).networkCardIndex(networkCard))).attachmentId();
    }

    @Override
    public void setDeleteOnTermination(String eniId, String attachmentId, boolean deleteOnTermination)
            throws CloudException {
        call("ModifyNetworkInterfaceAttribute", eniId + " (DeleteOnTermination=" + deleteOnTermination + ")",
                () -> ec2.modifyNetworkInterfaceAttribute(b -> b.networkInterfaceId(eniId)
                        .attachment(a -> a.attachmentId(attachmentId).deleteOnTermination(deleteOnTermination))));
    }

    @Override
    public List<NetworkInterface> describeNetworkInterfaces(List<String> eniIds) throws CloudException {
        if (eniIds.isEmpty()) {
            return List.of(); // an empty id list would describe every ENI in the region
        }
        return call("DescribeNetworkInterfaces", String.join(",", eniIds), () -> ec2
                .describeNetworkInterfaces(b -> b.networkInterfaceIds(eniIds)).networkInterfaces().stream()
                .map(Ec2Mapping::networkInterface).toList());
    }

    @Override
    public List<NetworkInterface> findNetworkInterfaces(List<Filter> filters) throws CloudException {
        return call("DescribeNetworkInterfaces", "filters " + filters, () -> {
            var out = new ArrayList<NetworkInterface>();
            ec2.describeNetworkInterfacesPaginator(b -> b.filters(Ec2Mapping.sdkFilters(filters)).maxResults(1000))
                    .networkInterfaces().forEach(n -> out.add(Ec2Mapping.networkInterface(n)));
            return out;
        });
    }

    @Override
    public List<String> assignPrivateIps(String eniId, int count) throws CloudException {
        return call("AssignPrivateIpAddresses", eniId + " (" + count + " IPs)",
                () -> ec2.assignPrivateIpAddresses(b -> b.networkInterfaceId(eniId).secondaryPrivateIpAddressCount(count))
                        .assignedPrivateIpAddresses().stream().map(a -> a.privateIpAddress()).toList());
    }

    @Override
    public List<String> assignPrefixes(String eniId, int count) throws CloudException {
        return call("AssignPrivateIpAddresses", eniId + " (" + count + " prefixes)",
                () -> ec2.assignPrivateIpAddresses(b -> b.networkInterfaceId(eniId).ipv4PrefixCount(count))
                        .assignedIpv4Prefixes().stream().map(p -> p.ipv4Prefix()).toList());
    }

    @Override
    public void unassignPrivateIps(String eniId, List<String> ips) throws CloudException {
        if (ips.isEmpty()) {
            return;
        }
        call("UnassignPrivateIpAddresses", eniId + " " + ips,
                () -> ec2.unassignPrivateIpAddresses(b -> b.networkInterfaceId(eniId).privateIpAddresses(ips)));
    }

    @Override
    public void unassignPrefixes(String eniId, List<String> prefixes) throws CloudException {
        if (prefixes.isEmpty()) {
            return;
        }
        call("UnassignPrivateIpAddresses", eniId + " " + prefixes,
                () -> ec2.unassignPrivateIpAddresses(b -> b.networkInterfaceId(eniId).ipv4Prefixes(prefixes)));
    }

    @Override
    public void detach(String attachmentId, boolean force) throws CloudException {
        call("DetachNetworkInterface", attachmentId,
                () -> ec2.detachNetworkInterface(b -> b.attachmentId(attachmentId).force(force)));
    }

    @Override
    public void delete(String eniId) throws CloudException {
        call("DeleteNetworkInterface", eniId, () -> ec2.deleteNetworkInterface(b -> b.networkInterfaceId(eniId)));
    }

    @Override
    public Instance describeInstance(String instanceId) throws CloudException {
        var resp = call("DescribeInstances", "instance " + instanceId,
                () -> ec2.describeInstances(b -> b.instanceIds(instanceId)));
        var found = resp.reservations().stream().flatMap(r -> r.instances().stream())
                .filter(i -> instanceId.equals(i.instanceId())).findFirst();
        if (found.isEmpty()) {
            throw CloudException.of("DescribeInstances", "instance " + instanceId, "InvalidInstanceID.NotFound",
                    resp.responseMetadata().requestId(), "EC2 returned no such instance", false, null);
        }
        return Ec2Mapping.instance(found.get());
    }

    @Override
    public List<Subnet> describeSubnets(List<String> subnetIds) throws CloudException {
        if (subnetIds.isEmpty()) {
            return List.of();
        }
        return call("DescribeSubnets", String.join(",", subnetIds), () -> ec2.describeSubnets(b -> b.subnetIds(subnetIds))
                .subnets().stream().map(Ec2Mapping::subnet).toList());
    }

    @Override
    public List<Subnet> findSubnets(List<Filter> filters) throws CloudException {
        return call("DescribeSubnets", "filters " + filters, () -> {
            var out = new ArrayList<Subnet>();
            ec2.describeSubnetsPaginator(b -> b.filters(Ec2Mapping.sdkFilters(filters)))
                    .subnets().forEach(s -> out.add(Ec2Mapping.subnet(s)));
            return out;
        });
    }

    @Override
    public InstanceTypeInfo describeInstanceType(String instanceType) throws CloudException {
        var resp = call("DescribeInstanceTypes", "instance type " + instanceType,
                () -> ec2.describeInstanceTypes(b -> b.instanceTypesWithStrings(instanceType)));
        if (resp.instanceTypes().isEmpty()) {
            throw CloudException.of("DescribeInstanceTypes", "instance type " + instanceType, "InvalidInstanceType",
                    resp.responseMetadata().requestId(), "EC2 returned no such instance type", false, null);
        }
        return Ec2Mapping.instanceType(resp.instanceTypes().getFirst());
    }

    @Override
    public void createTags(List<String> resourceIds, Map<String, String> tags) throws CloudException {
        if (resourceIds.isEmpty() || tags.isEmpty()) {
            return;
        }
        call("CreateTags", String.join(",", resourceIds),
                () -> ec2.createTags(b -> b.resources(resourceIds).tags(sdkTags(tags))));
    }

    @Override
    public void close() {
        ec2.close();
    }

    /** Tags in key order, so that requests are the same from run to run. */
    private static Collection<Tag> sdkTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private static <T> T call(String api, String object, Supplier<T> op) throws CloudException {
        try {
            return op.get();
        } catch (AwsServiceException e) {
            var details = e.awsErrorDetails();
            var code = details == null ? null : details.errorCode();
            var message = details == null ? e.getMessage() : details.errorMessage();
            boolean transientFailure = e.statusCode() >= 500 || e.isThrottlingException();
            throw CloudException.of(api, object, code, e.requestId(), message, transientFailure, e);
        } catch (SdkException e) {
            throw CloudException.of(api, object, null, null, e.getMessage(), true, e);
        }
    }
}
