package io.vpccni.test.bench.jmh;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The pool the benchmarks share: 4 ENIs x 14 /32s, as on an m5.xlarge, with no cooldown so addresses recycle. */
final class BenchPool {
    private BenchPool() {
    }

    static Datastore fourEnis() {
        var datastore = new Datastore(Clock.systemUTC(), Duration.ZERO, false);
        for (var d = 0; d < 4; d++) {
            datastore.addEni(new EniInfo("eni-" + d, "02:00:00:00:00:0" + d, d, 0, d == 0, false, false, "subnet",
                    d == 0 ? 254 : d + 1, Instant.EPOCH));
            for (var i = 1; i <= 14; i++) {
                datastore.addCidr("eni-" + d, IpPrefix.of("10.0." + d + "." + i + "/32"), false);
            }
        }
        return datastore;
    }
}
