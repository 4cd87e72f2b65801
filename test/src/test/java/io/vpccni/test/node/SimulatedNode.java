package io.vpccni.test.node;

import io.vpccni.ipamd.net.NetNs;
import io.vpccni.simcloud.Ec2Server;
import io.vpccni.simcloud.ImdsServer;
import io.vpccni.simcloud.SimulatedAccount;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * One node on the simulated cloud, for tests and the sandbox: an account with a VPC and a subnet, an EC2
 * endpoint, an instance with its IMDS, and ENI attachments that appear as veth links in the calling
 * thread's network namespace (their far ends in the namespace {@code vpcNs}, which must exist).
 */
public final class SimulatedNode implements AutoCloseable {
    public static final String ACCESS_KEY = "AKIASANDBOX000000000";
    public static final String SECRET_KEY = "sandbox-secret";
    public static final String REGION = "us-west-2";

    public final SimulatedAccount account;
    public final Ec2Server ec2;
    public final ImdsServer imds;
    public final String instanceId;
    public final String subnetId;
    private final NetNs nodeNs;
    private final VethEnis enis;

    public SimulatedNode(String instanceType, String subnetCidr, Path vpcNs, InstantSource clock) throws IOException {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 42);
        subnetId = account.createSubnet(subnetCidr, "us-west-2a");
        instanceId = account.launchInstance(instanceType, subnetId, List.of(account.defaultSecurityGroupId()));
        ec2 = Ec2Server.start(clock);
        ec2.register(ACCESS_KEY, account);
        imds = ImdsServer.start(account, instanceId, clock).newEniDelay(Duration.ofMillis(100));
        nodeNs = NetNs.current();
        enis = new VethEnis(instanceId, nodeNs, vpcNs);
        account.addListener(enis);
        enis.plugPrimary(account.instance(instanceId).primaryInterface(), Integer.parseInt(subnetCidr.split("/")[1]));
    }

    /** The environment that points a real aws-k8s-agent at this node's cloud. */
    public java.util.Map<String, String> daemonEnv(Path socket, Path checkpoint) {
        // The node's network managers are the simulated node's: none, in directories next to the checkpoint,
        // never the host's (whose state files describe the host's own links).
        var managers = checkpoint.resolveSibling("network-managers").toString();
        var env = new java.util.HashMap<String, String>();
        env.putAll(java.util.Map.of("IPAMD_SOCKET_PATH", socket.toString(), "AWS_EC2_ENDPOINT", ec2Endpoint().toString(),
                "AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY,
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", imdsEndpoint().toString(),
                "AWS_VPC_K8S_CNI_BACKING_STORE", checkpoint.toString(), "AWS_VPC_K8S_CNI_LOGLEVEL", "INFO"));
        env.put("AWS_VPC_K8S_CNI_LOG_FILE", "stdout");  // the tests read the daemon's log from its output
        env.put("GUARD_NETWORKD_LINKS_DIR", managers + "/netif/links");
        env.put("GUARD_NETWORK_DIRS", managers + "/network");
        env.put("GUARD_NETWORKMANAGER_DEVICES_DIR", managers + "/nm");
        return env;
    }

    public URI ec2Endpoint() {
        return ec2.uri();
    }

    public URI imdsEndpoint() {
        return imds.uri();
    }

    @Override
    public void close() {
        imds.close();
        ec2.close();
        enis.close();
        nodeNs.close();
    }
}
