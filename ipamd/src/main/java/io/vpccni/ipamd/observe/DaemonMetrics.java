package io.vpccni.ipamd.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.vpccni.ipamd.guard.EniGuard;
import io.vpccni.ipamd.guard.Owner;
import io.vpccni.ipamd.guard.StateHealer;
import io.vpccni.ipamd.pool.Datastore;

import java.util.function.ToIntFunction;

/**
 * The daemon's {@code awscni_*} metrics that read live state from the components (which stay free of any
 * metrics library). Names follow upstream's where upstream has the metric.
 */
public final class DaemonMetrics {
    private final MeterRegistry registry;
    private final MetricsServer server;

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
