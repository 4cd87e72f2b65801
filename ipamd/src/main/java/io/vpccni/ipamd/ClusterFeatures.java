package io.vpccni.ipamd;

import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.eni.EniConfigName;
import io.vpccni.ipamd.eni.EniPlacement;
import io.vpccni.ipamd.eni.NodeIdentity;
import io.vpccni.ipamd.k8s.Cluster;

import java.util.concurrent.atomic.AtomicReference;

/**
 * What the cluster's settings decide for the node's pool: whether it must wait for the API server, where new ENIs
 * go, and what the node advertises on its CNINode.
 */
final class ClusterFeatures {
    private final Settings settings;
    private final Cluster cluster;

    ClusterFeatures(Settings settings, Cluster cluster) {
        this.settings = settings;
        this.cluster = cluster;
    }

    /**
     * Upstream's start-up rule: a feature that cannot work without the API server (custom networking, ANNOTATE_POD_IP)
     * keeps the pool closed until it answers, and STATUS says so; without one the node is served at once.
     *
     * @return why the pool waits; null when it need not
     */
    String notReady() {
        var needs = settings.cluster().needingApiServer();
        if (needs.isEmpty()) {
            return null;
        }
        var why = "waiting for the API server, which " + String.join(" and ", needs) + " need";
        if (!cluster.apiServer().reachable()) {
            return why + ": " + cluster.apiServer().problem();
        }
        if (settings.cluster().customNetworking() && (cluster.node().current().isEmpty() || !cluster.eniConfigs().synced())) {
            return why + ": the Node " + settings.kube().nodeName().orElse("") + " and the ENIConfigs have not been read yet";
        }
        return null;
    }

    /** Where new ENIs go: the node's ENIConfig, the tagged subnets, or the primary ENI's subnet. */
    EniPlacement placement(NodeIdentity identity, InstanceMetadata imds, Ec2Api ec2) throws MetadataException {
        if (settings.cluster().customNetworking()) {
            return EniPlacement.customNetworking(cluster.node(), cluster.eniConfigs(), settings.cluster().eniConfigName(), ec2,
                    identity, imds.availabilityZone());
        }
        if (settings.cluster().subnetDiscovery() && !settings.imdsOnly()) {
            return EniPlacement.subnetDiscovery(ec2, identity, imds.vpcId(imds.primaryMac()), imds.availabilityZone());
        }
        return EniPlacement.primary(identity);
    }

    /**
     * The VPC resource controller reads which ENIConfig the node uses from its CNINode's {@code CustomNetworking}
     * feature; kept current as the node's labels change. As upstream, the implicit {@code default} is not advertised.
     */
    void advertiseCustomNetworking() {
        if (!settings.cluster().customNetworking()) {
            return;
        }
        var naming = settings.cluster().eniConfigName();
        var advertised = new AtomicReference<String>();
        Runnable advertise = () -> cluster.node().current().map(n -> naming.choose(n).name())
                .filter(name -> !name.equals(EniConfigName.DEFAULT_NAME) && !name.equals(advertised.getAndSet(name)))
                .ifPresent(name -> cluster.cniNode().advertise("CustomNetworking", name));
        cluster.node().onChange(advertise);
        advertise.run();
    }
}
