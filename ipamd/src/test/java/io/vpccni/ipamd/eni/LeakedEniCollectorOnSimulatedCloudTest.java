package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.testing.MutableClock;
import io.vpccni.simcloud.Ec2Server;
import io.vpccni.simcloud.ManualClock;
import io.vpccni.simcloud.SimulatedAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leaked-ENI collection against the simulated cloud through the real SDK client. */
class LeakedEniCollectorOnSimulatedCloudTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final ManualClock cloudClock = new ManualClock(NOW);
    private SimulatedAccount account;
    private Ec2Server server;
    private String subnet;
    private String me;
    private String other;

    @BeforeEach
    void start() throws Exception {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", cloudClock, 7);
        subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
        me = account.launchInstance("m5.large", subnet, List.of(account.defaultSecurityGroupId()));
        other = account.launchInstance("m5.large", subnet, List.of(account.defaultSecurityGroupId()));
        server = Ec2Server.start(cloudClock);
        server.register("AKIATEST", account);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String eni(String description, Map<String, String> tags) {
        return account.createNetworkInterface(new SimulatedAccount.CreateEni(subnet, List.of(account.defaultSecurityGroupId()),
                description, 0, 0, tags)).id();
    }

    private Map<String, String> tags(String instance, Instant createdAt, String... more) {
        var tags = new HashMap<String, String>();
        tags.put(EniTags.INSTANCE_ID, instance);
        if (createdAt != null) {
            tags.put(EniTags.CREATED_AT, EniTags.timestamp(createdAt));
        }
        for (var i = 0; i < more.length; i += 2) {
            tags.put(more[i], more[i + 1]);
        }
        return tags;
    }

    @Test
    void deletesOnlyOldAvailableEnisThisNodeCreated() throws Exception {
        var old = NOW.minus(Duration.ofMinutes(10));
        var leaked = eni("aws-K8S-" + me, tags(me, old));
        var young = eni("aws-K8S-" + me, tags(me, NOW.minus(Duration.ofMinutes(2))));
        var untagged = eni("aws-K8S-" + me, tags(me, null));
        var protectedEni = eni("aws-K8S-" + me, tags(me, old, EniTags.NO_MANAGE, "true"));
        var othersLeak = eni("aws-K8S-" + other, tags(other, old));
        var notOurs = eni("created by hand", tags(me, old));
        var inUse = eni("aws-K8S-" + me, tags(me, old));
        account.attachNetworkInterface(inUse, me, 1, 0);

        var ec2 = new SdkEc2Api(server.uri(), "us-west-2", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATEST", "x")));
        var collector = new LeakedEniCollector(ec2, me, new MutableClock(NOW));
        assertEquals(List.of(leaked), collector.sweep());

        var remaining = account.networkInterfaces().stream().map(e -> e.id()).toList();
        for (var kept : List.of(young, untagged, protectedEni, othersLeak, notOurs, inUse)) {
            assertTrue(remaining.contains(kept), kept);
        }
        assertEquals(EniTags.timestamp(NOW), account.networkInterface(untagged).tags().get(EniTags.CREATED_AT),
                "an ENI without a creation time is tagged now and judged later");

        var later = new LeakedEniCollector(ec2, me, new MutableClock(NOW.plus(Duration.ofMinutes(6))));
        var second = later.sweep();
        assertTrue(second.contains(young) && second.contains(untagged), second.toString());
        assertEquals(2, second.size(), second.toString());
    }

    @Test
    void atDaemonStartEveryUnattachedEniOfThisNodeGoesAtOnce() throws Exception {
        var justCreated = eni("aws-K8S-" + me, tags(me, NOW));
        var untagged = eni("aws-K8S-" + me, tags(me, null));
        var protectedEni = eni("aws-K8S-" + me, tags(me, NOW, EniTags.NO_MANAGE, "true"));
        var ec2 = new SdkEc2Api(server.uri(), "us-west-2", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATEST", "x")));
        var deleted = new LeakedEniCollector(ec2, me, new MutableClock(NOW)).sweepAtStart();
        assertEquals(2, deleted.size(), deleted.toString());
        assertTrue(deleted.contains(justCreated) && deleted.contains(untagged));
        assertTrue(account.networkInterfaces().stream().anyMatch(e -> e.id().equals(protectedEni)));
    }
}
