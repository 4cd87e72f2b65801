package io.vpccni.ipamd.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.vpccni.ipamd.guard.EniGuard;
import io.vpccni.ipamd.guard.StateHealer;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PoolStatus;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The introspection endpoints: upstream's ({@code /}, {@code /v1/enis}, {@code /v1/eni-configs},
 * {@code /v1/networkutils-env-settings}, {@code /v1/ipamd-env-settings}) with upstream's field names, and ours
 * ({@code /v1/pods}, {@code /v1/guard}). Every answer is computed from live state when asked, reading the datastore
 * under its short lock and the kernel without any pod's lock, so it never delays a pod's call; before the pool is
 * open the pool-dependent answers say so rather than fail.
 */
public final class Introspection {
    public static final int DEFAULT_PORT = 61679;

    /** The guard and the healer, once the node's start-up has made them. */
    public record Guard(EniGuard guard, StateHealer healer, Supplier<Map<Integer, String>> primaryIps) {
    }

    /**
     * Where the answers come from.
     *
     * @param status        the pool's state (open or why not), as CNI STATUS reports it
     * @param maxPods       the node's max pods as the pool uses it; 0 before the node is known
     * @param inspect       CHECK of each allocation ({@link PodNetworks#inspect})
     * @param guard         empty until the guard runs
     * @param eniConfigName the node's ENIConfig under custom networking; empty otherwise
     * @param ipamdEnv      upstream's {@code /v1/ipamd-env-settings} (and more of the pool's settings)
     * @param networkEnv    upstream's {@code /v1/networkutils-env-settings}
     */
    public record Sources(Datastore datastore, Supplier<PoolStatus> status, IntSupplier maxPods,
                          Function<List<Allocation>, List<PodNetworks.Inspection>> inspect,
                          Supplier<Optional<Guard>> guard, Supplier<Optional<String>> eniConfigName,
                          Map<String, Object> ipamdEnv, Map<String, Object> networkEnv) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Sources sources;

    public Introspection(Sources sources) {
        this.sources = sources;
    }

    /** Path → endpoint, as served. */
    public Map<String, Endpoint> routes() {
        var routes = new LinkedHashMap<String, Endpoint>();
        routes.put("/v1/enis", () -> json(enis()));
        routes.put("/v1/eni-configs", () -> json(sources.eniConfigName().get().orElse("")));
        routes.put("/v1/networkutils-env-settings", () -> json(sources.networkEnv()));
        routes.put("/v1/ipamd-env-settings", () -> json(sources.ipamdEnv()));
        routes.put("/v1/pods", () -> json(pods()));
        routes.put("/v1/guard", () -> json(guard()));
        var commands = List.copyOf(routes.keySet());
        routes.put("/", () -> json(Map.of("AvailableCommands", commands)));
        return routes;
    }

    Map<String, Object> enis() {
        var datastore = sources.datastore();
        var usage = datastore.usage();
        return UpstreamEniInfos.of(datastore.describe(), usage.stream().mapToInt(Datastore.EniUsage::totalIps).sum(),
                usage.stream().mapToInt(Datastore.EniUsage::assignedIps).sum());
    }

    Map<String, Object> pods() {
        var datastore = sources.datastore();
        return PodsDocument.of(sources.status().get(), sources.maxPods().getAsInt(),
                PodsDocument.held(datastore.describe(), datastore.orphaned()), sources.inspect());
    }

    Map<String, Object> guard() {
        var running = sources.guard().get();
        if (running.isEmpty()) {
            var out = new LinkedHashMap<String, Object>(GuardDocument.of(List.of(), Map.of(),
                    new GuardDocument.Restored(0, 0, 0), List.of()));
            out.put("running", false);
            return out;
        }
        var g = running.get();
        var healer = g.healer();
        var out = new LinkedHashMap<String, Object>(GuardDocument.of(g.guard().verdicts(), g.primaryIps().get(),
                new GuardDocument.Restored(healer.restoredRules(), healer.restoredRoutes(), healer.restoredAddresses()),
                healer.recentHeals()));
        out.put("running", true);
        return out;
    }

    private static Endpoint.Response json(Object document) {
        try {
            return Endpoint.Response.json(JSON.writeValueAsString(document) + "\n");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
