package io.vpccni.simcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImdsServerTest {
    private final ManualClock clock = new ManualClock();
    private final HttpClient http = HttpClient.newHttpClient();
    private SimulatedAccount account;
    private ImdsServer imds;
    private String node;
    private String subnet;

    private record Reply(int status, String body) {}

    @BeforeEach
    void setUp() throws Exception {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 7);
        account.addVpcCidr("100.64.0.0/16");
        subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
        node = account.launchInstance("m5.large", subnet, List.of(account.defaultSecurityGroupId()));
        imds = ImdsServer.start(account, node, clock).newEniDelay(Duration.ofSeconds(3));
    }

    @AfterEach
    void tearDown() {
        if (imds != null) imds.close();
    }

    private Reply send(HttpRequest.Builder request) throws Exception {
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }

    private String token(int ttlSeconds) throws Exception {
        var reply = send(HttpRequest.newBuilder(URI.create(imds.uri() + "/latest/api/token"))
                .header(ImdsServer.TTL_HEADER, Integer.toString(ttlSeconds)).PUT(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, reply.status());
        return reply.body();
    }

    private Reply get(String token, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(imds.uri() + "/latest/meta-data/" + path));
        if (token != null) request.header(ImdsServer.TOKEN_HEADER, token);
        return send(request);
    }

    private String text(String token, String path) throws Exception {
        var reply = get(token, path);
        assertEquals(200, reply.status(), path);
        return reply.body();
    }

    @Test
    void tokensAreRequiredAndExpire() throws Exception {
        assertEquals(401, get(null, "instance-id").status());
        assertEquals(401, get("forged", "instance-id").status());
        var noTtl = send(HttpRequest.newBuilder(URI.create(imds.uri() + "/latest/api/token")).PUT(HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, noTtl.status());
        String token = token(60);
        assertEquals(node, text(token, "instance-id"));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(401, get(token, "instance-id").status());
    }

    @Test
    void instanceAndInterfaceDocuments() throws Exception {
        String token = token(21600);
        var primary = account.instance(node).primaryInterface();
        assertEquals("m5.large", text(token, "instance-type"));
        assertEquals("us-west-2a", text(token, "placement/availability-zone"));
        assertEquals(primary.primaryIp(), text(token, "local-ipv4"));
        assertEquals(primary.macAddress(), text(token, "mac"));
        assertEquals(primary.macAddress() + "/", text(token, "network/interfaces/macs/"));
        String mac = "network/interfaces/macs/" + primary.macAddress() + "/";
        assertEquals(primary.id(), text(token, mac + "interface-id"));
        assertEquals("0", text(token, mac + "device-number"));
        assertEquals("0", text(token, mac + "network-card"));
        assertEquals(subnet, text(token, mac + "subnet-id"));
        assertEquals("10.0.1.0/24", text(token, mac + "subnet-ipv4-cidr-block"));
        assertEquals("10.0.0.0/16\n100.64.0.0/16", text(token, mac + "vpc-ipv4-cidr-blocks"));
        assertEquals(account.defaultSecurityGroupId(), text(token, mac + "security-group-ids"));
        assertEquals(404, get(token, mac + "ipv4-prefix").status());

        account.assignPrivateIps(primary.id(), 2, List.of(), 0);
        assertEquals(String.join("\n", account.networkInterface(primary.id()).allIps()), text(token, mac + "local-ipv4s"));
        assertEquals(primary.primaryIp(), text(token, mac + "local-ipv4s").lines().findFirst().orElseThrow(), "primary first");
        assertEquals(404, get(token, "network/interfaces/macs/02:00:00:00:00:00/interface-id").status());
    }

    @Test
    void aNewlyAttachedEniAppearsOnlyAfterTheDelay() throws Exception {
        String token = token(21600);
        var eni = account.createNetworkInterface(new SimulatedAccount.CreateEni(subnet, List.of(), "aws-K8S-" + node, 0, 1, java.util.Map.of()));
        account.attachNetworkInterface(eni.id(), node, 1, 0);
        String path = "network/interfaces/macs/" + eni.macAddress() + "/";
        assertEquals(1, text(token, "network/interfaces/macs/").lines().count());
        assertEquals(404, get(token, path + "interface-id").status());

        clock.advance(Duration.ofSeconds(3));
        assertEquals(2, text(token, "network/interfaces/macs/").lines().count());
        assertEquals(eni.id(), text(token, path + "interface-id"));
        assertEquals("1", text(token, path + "device-number"));
        assertEquals(eni.prefixes().getFirst(), text(token, path + "ipv4-prefix"));
    }
}
