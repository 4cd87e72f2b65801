package io.vpccni.ipamd.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test vocabulary: ENIs, pool snapshots and configs in a line each. */
final class Pools {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    /** Old enough that no ENI is too young to delete unless a test says so. */
    static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));
    static final InstanceLimits M5_LARGE = InstanceLimitsTable.find("m5.large").orElseThrow();

    private Pools() {
    }

    /** A config from "NAME=value" pairs, through the same parser the daemon uses. */
    static PoolConfig config(String... settings) {
        var env = new HashMap<String, String>();
        for (var setting : settings) {
            var eq = setting.indexOf('=');
            env.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        return PoolConfig.fromEnv(env);
    }

    static Eni eni(String id, int deviceNumber) {
        return new Eni(id, deviceNumber);
    }

    /** The primary ENI (device 0) in secondary-IP mode with {@code total} /32s, {@code assigned} to pods. */
    static EniState primary(int total, int assigned) {
        return eni("eni-primary", 0).primary().ips(total, assigned).build();
    }

    static PoolState pool(EniState... enis) {
        return new PoolState(List.of(enis), 110, NOW, Instant.EPOCH, false);
    }

    static PoolState pool(int maxPods, EniState... enis) {
        return new PoolState(List.of(enis), maxPods, NOW, Instant.EPOCH, false);
    }

    /** Secondary-IP mode stats from totals alone. */
    static PoolStats sipStats(int total, int assigned) {
        return new PoolStats(total, assigned, 0, 0, 0);
    }

    /** Prefix mode stats: every prefix holds 16 addresses. */
    static PoolStats pdStats(int prefixes, int assigned, int freePrefixes) {
        return new PoolStats(prefixes * PoolLimits.IPS_PER_PREFIX, assigned, 0, prefixes, freePrefixes);
    }

    static final class Eni {
        private final String id;
        private final int deviceNumber;
        private boolean primary;
        private boolean trunk;
        private boolean efa;
        private boolean excluded;
        private Instant createdAt = LONG_AGO;
        private int total;
        private int assigned;
        private int cooling;
        private int prefixes;
        private int freePrefixes;

        private Eni(String id, int deviceNumber) {
            this.id = id;
            this.deviceNumber = deviceNumber;
        }

        Eni primary() {
            primary = true;
            return this;
        }

        Eni trunk() {
            trunk = true;
            return this;
        }

        Eni efa() {
            efa = true;
            return this;
        }

        Eni excluded() {
            excluded = true;
            return this;
        }

        Eni createdAt(Instant instant) {
            createdAt = instant;
            return this;
        }

        /** Secondary-IP mode: {@code total} /32s, {@code assigned} to pods. */
        Eni ips(int total, int assigned) {
            this.total = total;
            this.assigned = assigned;
            return this;
        }

        Eni cooling(int cooling) {
            this.cooling = cooling;
            return this;
        }

        /** Prefix mode: {@code prefixes} /28s, {@code assigned} addresses in them, {@code free} prefixes untouched. */
        Eni prefixes(int prefixes, int assigned, int free) {
            this.prefixes = prefixes;
            this.freePrefixes = free;
            this.total = prefixes * PoolLimits.IPS_PER_PREFIX;
            this.assigned = assigned;
            return this;
        }

        EniState build() {
            return new EniState(id, deviceNumber, primary, trunk, efa, excluded, createdAt, total, assigned, cooling,
                    prefixes, freePrefixes);
        }
    }

    static Map<String, String> env(String... pairs) {
        var env = new HashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
