package io.vpccni.ipamd;

import io.vpccni.ipamd.config.DaemonConfig;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.pod.KernelPodWiring;
import io.vpccni.ipamd.pod.LinkReaper;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.policy.PoolConfig;
import io.vpccni.ipamd.rpc.ClientVersions;
import io.vpccni.ipamd.rpc.NetworkFacts;
import io.vpccni.ipamd.rpc.RpcServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/** aws-k8s-agent: reads its environment, starts the node's services, and serves until it is stopped. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        DaemonConfig config;
        PoolConfig poolConfig;
        try {
            config = DaemonConfig.fromEnv(System.getenv());
            poolConfig = PoolConfig.fromEnv(System.getenv());  // bad warm-pool settings stop the daemon here
            NodeServices.eniMtu(System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        var version = DaemonVersion.load();
        var host = RtNetlink.open();
        var wiring = new KernelPodWiring(host, NetNs.current(), RtNetlink::openIn, new LinkReaper(RtNetlink.open()),
                config.vethPrefix());
        // Serve at once; the pool opens when the node is discovered and the checkpoint restored. Until then
        // ADD answers "try again later" and STATUS says why, while DEL and GC already work.
        var node = new NodeServices(System.getenv(), poolConfig, wiring, host);
        var allocator = node.pool();
        node.start();  // discovery (IMDS, EC2, SDK start-up) runs alongside the RPC server's start
        var facts = new NetworkFacts() {
            @Override
            public boolean useExternalSnat() {
                return false;
            }

            @Override
            public List<String> vpcV4Cidrs() {
                return List.of();
            }
        };
        RpcServer server;
        try {
            server = RpcServer.start(config.socketPath(), new PodNetworks(allocator, wiring), allocator,
                    new ClientVersions(version.protocol()), facts);
        } catch (IOException e) {
            log.error("cannot serve on {}: {}", config.socketPath(), e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                server.close();
            } catch (IOException e) {
                log.warn("shutdown: {}", e.getMessage());
            }
        }));
        server.awaitTermination();
    }
}
