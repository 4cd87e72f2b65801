package io.vpccni.test.bench.jmh;

import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PooledAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable assign + release of one pod address through the checkpoint (temp file, fsync, rename, fsync of
 * the directory, group commit), with 1, 8 and 32 concurrent callers. {@code dir} chooses the file system:
 * /var/run on a node is tmpfs (here /dev/shm); /tmp here is a disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@Fork(1)
public class DurablePoolBench {
    @Param({"/tmp", "/dev/shm"})
    public String dir;

    private Path work;
    private PooledAllocator pool;
    private final AtomicLong ids = new AtomicLong();
    private static final PodIdentity POD = new PodIdentity("bench", "pod", "", "");

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        work = Files.createTempDirectory(Path.of(dir), "pool-bench");
        var datastore = BenchPool.fourEnis();
        pool = new PooledAllocator(datastore, new FileCheckpointStore(work.resolve("ipam.json")));
        pool.restore(a -> true);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%n%d checkpoint writes%n", pool.checkpointSaves());
        try (var files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @Threads(1)
    public Object durable1() {
        return cycle();
    }

    @Benchmark
    @Threads(8)
    public Object durable8() {
        return cycle();
    }

    @Benchmark
    @Threads(32)
    public Object durable32() {
        return cycle();
    }

    /** One ADD's and one DEL's worth of pool work, each answered only after its write is durable. */
    private Object cycle() {
        var key = new AttachmentKey("aws-cni", "c" + ids.incrementAndGet(), "eth0");
        var a = pool.assign(key, POD);
        pool.release(key);
        return a;
    }
}
