package io.vpccni.test.bench.jmh;

import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PodIdentity;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.BenchmarkMode;

import java.util.concurrent.atomic.AtomicLong;

/** In-memory assign + unassign of one pod address (no checkpoint): the datastore's own cost. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DatastoreBench {
    private Datastore datastore;
    private final AtomicLong ids = new AtomicLong();
    private static final PodIdentity POD = new PodIdentity("bench", "pod", "", "");

    @Setup(Level.Trial)
    public void setUp() {
        datastore = BenchPool.fourEnis();
    }

    @Benchmark
    @Threads(1)
    public Object assignUnassign1() {
        return cycle();
    }

    @Benchmark
    @Threads(8)
    public Object assignUnassign8() {
        return cycle();
    }

    private Object cycle() {
        var key = new AttachmentKey("aws-cni", "c" + ids.incrementAndGet(), "eth0");
        var change = datastore.assign(key, POD);
        var released = datastore.unassign(key).orElseThrow();
        datastore.confirmRelease(released.allocation());
        return change;
    }
}
