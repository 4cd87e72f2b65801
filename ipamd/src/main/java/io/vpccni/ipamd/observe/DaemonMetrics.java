package io.vpccni.ipamd.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.vpccni.ipamd.guard.EniGuard;
import io.vpccni.ipamd.guard.Owner;
import io.vpccni.ipamd.guard.StateHealer;
import io.vpccni.ipamd.eni.EniException;
import io.vpccni.ipamd.eni.PoolManager;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.pool.Datastore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import java.util.function.ToIntFunction;

/**
 * The daemon's {@code awscni_*} metrics that read live state from the components (which stay free of any
 * metrics library). Names follow upstream's where upstream has the metric.
 */
public final class DaemonMetrics {
    /** Go client's default histogram buckets, which upstream's start-up histograms use. */
    private static final Duration[] GO_DEFAULT_BUCKETS = Stream.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
            .map(s -> Duration.ofNanos((long) (s * 1e9))).toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final MetricsServer server;
    /** eni_max and ip_max, 0 until the node is known. */
    private final AtomicIntegerArray limits = new AtomicIntegerArray(2);
    private final Map<String, AtomicInteger> actions = new ConcurrentHashMap<>();

    /** @param server null when metrics are not served */
    public DaemonMetrics(MeterRegistry registry, MetricsServer server) {
        this.registry = registry;
        this.server = server;
    }

    /** An info metric goes to Prometheus directly: Micrometer would strip the "_info" of upstream's name. */
    public void buildInfo(PrometheusMeterRegistry prometheus, String version) {
        var info = Info.builder().name("awscni_build_info").help("the daemon's version and Java runtime")
                .labelNames("version", "javaversion").register(prometheus.getPrometheusRegistry());
        info.addLabelValues(version, Runtime.version().toString());
    }

    public void pool(Datastore datastore) {
        Gauge.builder("awscni_eni_allocated", () -> datastore.usage().size())
                .description("ENIs on the node that the pool manages").register(registry);
        Gauge.builder("awscni_total_ip_addresses", () -> sum(datastore, Datastore.EniUsage::totalIps))
                .description("addresses in the pool").register(registry);
        Gauge.builder("awscni_assigned_ip_addresses", () -> sum(datastore, Datastore.EniUsage::assignedIps))
                .description("addresses assigned to pods").register(registry);
        Gauge.builder("awscni_total_ipv4_prefixes", () -> sum(datastore, Datastore.EniUsage::prefixes))
                .description("/28 prefixes in the pool (prefix delegation)").register(registry);
        Gauge.builder("awscni_eni_max", limits, l -> l.get(0))
                .description("ENIs the node can have for pods: the instance's limit (or MAX_ENI) less the ENIs the pool does not manage")
                .register(registry);
        Gauge.builder("awscni_ip_max", limits, l -> l.get(1))
                .description("addresses the node can give pods on those ENIs").register(registry);
        var perEni = MultiGauge.builder("awscni_assigned_ip_per_eni").description("addresses assigned to pods, per ENI")
                .register(registry);
        var perCidr = MultiGauge.builder("awscni_assigned_ip_per_cidr")
                .description("addresses assigned to pods, per secondary address or /28 prefix").register(registry);
        if (server == null) {
            return;
        }
        server.beforeScrape(() -> {  // rows of ENIs and CIDRs that left the pool disappear (overwrite = true)
            var enis = new ArrayList<MultiGauge.Row<?>>();
            var cidrs = new ArrayList<MultiGauge.Row<?>>();
            for (var eni : datastore.describe()) {
                var assigned = 0;
                for (var cidr : eni.cidrs()) {
                    var n = (int) cidr.addresses().stream().filter(a -> a.assigned() != null).count();
                    assigned += n;
                    cidrs.add(MultiGauge.Row.of(Tags.of("cidr", cidr.cidr().toString()), n));
                }
                enis.add(MultiGauge.Row.of(Tags.of("eni", eni.info().eniId()), assigned));
            }
            perEni.register(enis, true);
            perCidr.register(cidrs, true);
        });
    }

    /**
     * What the node can hold, once it is known: {@code eniMax} ENIs for pods, and on each its addresses less the
     * ENI's own ({@code ×16} per slot with prefix delegation), as upstream's {@code awscni_eni_max}/{@code awscni_ip_max}.
     */
    public void nodeLimits(int eniMax, int ipv4PerEni, boolean prefixDelegation) {
        limits.set(0, eniMax);
        limits.set(1, eniMax * (ipv4PerEni - 1) * (prefixDelegation ? 16 : 1));
    }

    /** Upstream's {@code awscni_ipamd_action_inprogress} and {@code awscni_ipamd_error_count}, fed by the pool's passes. */
    public PoolManager.Observer poolActions() {
        return new PoolManager.Observer() {
            @Override
            public void started(PoolAction action) {
                inProgress(growing(action) ? "increaseDatastorePool" : "decreaseDatastorePool").incrementAndGet();
            }

            @Override
            public void finished(PoolAction action, EniException failure) {
                inProgress(growing(action) ? "increaseDatastorePool" : "decreaseDatastorePool").decrementAndGet();
                if (failure != null) {
                    ipamdError(errorFunction(action));
                }
            }
        };
    }

    /** Upstream's function names for a failed pool action. */
    static String errorFunction(PoolAction action) {
        return switch (action) {
            case PoolAction.AllocateEni a -> "increaseIPPoolAllocENI";
            case PoolAction.AssignToEni a -> a.prefixes() ? "increaseIPPoolGetENIprefixedFailed" : "increaseIPPoolAllocIPAddressesFailed";
            case PoolAction.ReleaseCidrs r -> "decreaseIPPool";
            case PoolAction.DeleteEni d -> "decreaseIPPoolFreeENIFailed";
            case PoolAction.Nothing n -> "reconcile";
        };
    }

    private static boolean growing(PoolAction action) {
        return action instanceof PoolAction.AllocateEni || action instanceof PoolAction.AssignToEni;
    }

    public void ipamdError(String fn) {
        Counter.builder("awscni_ipamd_error_count").tag("fn", fn).description("errors in the daemon's pool work, by function")
                .register(registry).increment();
    }

    /** An action in progress until closed. */
    public interface InProgress extends AutoCloseable {
        @Override
        void close();
    }

    /** Marks {@code fn} in progress until the returned handle is closed. */
    public InProgress inProgressWhile(String fn) {
        var gauge = inProgress(fn);
        gauge.incrementAndGet();
        return gauge::decrementAndGet;
    }

    private AtomicInteger inProgress(String fn) {
        return actions.computeIfAbsent(fn, name -> {
            var value = new AtomicInteger();
            Gauge.builder("awscni_ipamd_action_inprogress", value, AtomicInteger::get).tag("fn", name)
                    .description("the daemon's pool actions in progress, by function").register(registry);
            return value;
        });
    }

    /**
     * Upstream's start-up histograms: from the process's start to the pool serving pods
     * ({@code awscni_ipamd_startup_duration_seconds{success,with_api_server,failure_reason}}), and each node
     * initialisation attempt ({@code awscni_ipamd_node_initialization_duration_seconds{success}}).
     */
    public void startedUp(Duration sinceProcessStart, boolean success, boolean withApiServer, String failureReason) {
        Timer.builder("awscni_ipamd_startup_duration").tags("success", String.valueOf(success),
                        "with_api_server", String.valueOf(withApiServer), "failure_reason", failureReason)
                .description("from the daemon's start until its pool serves pods").serviceLevelObjectives(GO_DEFAULT_BUCKETS)
                .register(registry).record(sinceProcessStart);
    }

    public void nodeInitialized(Duration took, boolean success) {
        Timer.builder("awscni_ipamd_node_initialization_duration").tag("success", String.valueOf(success))
                .description("one attempt at discovering the node and restoring its checkpoint")
                .serviceLevelObjectives(GO_DEFAULT_BUCKETS).register(registry).record(took);
    }

    /** Checkpoint entries that matched no address of the node's ENIs at restore (their pods lost their address). */
    public void unrecoveredCheckpointEntries(int count) {
        Counter.builder("awscni_unrecovered_checkpoint_entries").description("checkpoint entries not restored into the pool")
                .register(registry).increment(count);
    }

    /** Which ENIs are refused because another manager owns them, and how often that happened. */
    public void guard(EniGuard guard) {
        FunctionCounter.builder("awscni_eni_refusals", guard, EniGuard::refusals)
                .description("times an ENI was refused because another network manager owns or will own it").register(registry);
        var refused = MultiGauge.builder("awscni_eni_refused")
                .description("1 per ENI that gets no new pods because the named manager owns it").register(registry);
        if (server == null) {
            return;
        }
        server.beforeScrape(() -> refused.register(guard.refused().entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("eni", e.getKey(), "manager", manager(e.getValue())), 1))
                .toList(), true));
    }

    public void healer(StateHealer healer) {
        var description = "kernel objects the daemon owns that something removed and the daemon put back";
        FunctionCounter.builder("awscni_restored", healer, StateHealer::restoredRules).tag("kind", "rule")
                .description(description).register(registry);
        FunctionCounter.builder("awscni_restored", healer, StateHealer::restoredRoutes).tag("kind", "route")
                .description(description).register(registry);
        FunctionCounter.builder("awscni_restored", healer, StateHealer::restoredAddresses).tag("kind", "address")
                .description(description).register(registry);
    }

    static String manager(Owner owner) {
        return switch (owner) {
            case Owner.Networkd n -> "systemd-networkd";
            case Owner.NetworkdPredicted p -> "systemd-networkd-next-reload";
            case Owner.NetworkManager m -> "NetworkManager";
            case Owner.Nobody n -> "none";
        };
    }

    private static int sum(Datastore datastore, ToIntFunction<Datastore.EniUsage> field) {
        return datastore.usage().stream().mapToInt(field).sum();
    }
}
