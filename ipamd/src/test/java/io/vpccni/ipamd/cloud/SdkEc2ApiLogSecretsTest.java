package io.vpccni.ipamd.cloud;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.vpccni.ipamd.observe.SecretMasking;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * No credential reaches the daemon's log, at the default level (DEBUG) or the most verbose: the daemon's real
 * logback.xml, STS session credentials (as IRSA and instance roles give), signed calls to a stand-in EC2 that
 * succeed, fail and are retried, and everything logback writes to stdout searched for the secret key, the
 * session token and the request signatures.
 */
class SdkEc2ApiLogSecretsTest {
    private static final String ACCESS_KEY = "ASIAVPCCNITESTKEY001";
    private static final String SECRET_KEY = "vpcCniTestSecretKey/0123456789abcdefGHIJ";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjVPCCNITESTSESSIONTOKEN//////////wEaCXVzLXdlc3QtMiJHMEUCIQ==";
    private static final String NS = "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";
    private static final Pattern SIGNATURE = Pattern.compile("Signature=([0-9a-f]{64})");

    @ParameterizedTest
    @ValueSource(strings = {"DEBUG", "TRACE"})
    void noSecretKeySessionTokenOrSignatureIsLogged(String level) throws Exception {
        var ec2Server = new WireMockServer(options().dynamicPort());
        ec2Server.start();
        try {
            ec2Server.stubFor(post("/").withRequestBody(containing("Action=DescribeSubnets&"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8")
                            .withBody("<DescribeSubnetsResponse " + NS + "><requestId>r-1</requestId><subnetSet/>"
                                    + "</DescribeSubnetsResponse>")));
            ec2Server.stubFor(post("/").withRequestBody(containing("Action=DescribeInstances&"))
                    .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "text/xml;charset=UTF-8")
                            .withBody("<Response><Errors><Error><Code>Unavailable</Code><Message>try again</Message>"
                                    + "</Error></Errors><RequestID>r-2</RequestID></Response>")));

            var log = captureDaemonLog(level, () -> {
                try (var ec2 = new SdkEc2Api(new SdkEc2Api.Settings(Optional.of(URI.create(ec2Server.baseUrl())),
                        Optional.of("us-west-2"),
                        StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN)),
                        Duration.ofSeconds(10), 2, Optional.of(BackoffStrategy.retryImmediately()), Optional.empty()))) {
                    assertEquals(List.of(), ec2.describeSubnets(List.of("subnet-0aaa")));
                    assertThrows(CloudException.class, () -> ec2.describeInstance("i-0123"));
                }
                LoggerFactory.getLogger(SdkEc2ApiLogSecretsTest.class).debug("capture works");
                // Whatever logs a credential by mistake, the encoder masks it.
                LoggerFactory.getLogger("io.vpccni.ipamd.cloud").warn("EC2 refused a request with X-Amz-Security-Token: {}",
                        SESSION_TOKEN, new IllegalStateException("aws_secret_access_key=" + SECRET_KEY));
            });

            var text = log.text();
            assertTrue(text.contains("capture works"), "the capture sees what the daemon logs at " + level + ":\n" + text);
            assertTrue(text.contains("X-Amz-Security-Token: " + SecretMasking.MASK), text);
            assertTrue(text.contains("aws_secret_access_key=" + SecretMasking.MASK), text);
            assertEquals(List.of(), log.events().stream()
                    .filter(e -> e.path("loggerName").asText().startsWith("software.amazon.awssdk"))
                    .filter(e -> !Level.toLevel(e.path("level").asText()).isGreaterOrEqual(Level.INFO))
                    .toList(), "the SDK's request and signing logs stay out at " + level);

            var signatures = ec2Server.getAllServeEvents().stream()
                    .map(e -> SIGNATURE.matcher(e.getRequest().getHeader("Authorization")))
                    .filter(m -> m.find()).map(m -> m.group(1)).toList();
            assertEquals(3, signatures.size(), "one success, one failure retried once, each signed");
            assertEquals(SESSION_TOKEN, ec2Server.getAllServeEvents().getFirst().getRequest().getHeader("X-Amz-Security-Token"),
                    "the session token was really sent, so it was really there to leak");
            assertFalse(text.contains(SECRET_KEY.substring(0, 20)), "secret key in the log at " + level);
            assertFalse(text.contains(SESSION_TOKEN.substring(0, 24)), "session token in the log at " + level);
            signatures.forEach(s -> assertFalse(text.contains(s), "a request signature in the log at " + level));
        } finally {
            ec2Server.stop();
        }
    }

    interface Work {
        void run() throws Exception;
    }

    /** What logback wrote: each line parsed, and all of it as text, as written and with the JSON unescaped. */
    record Captured(List<JsonNode> events, String text) {
    }

    /**
     * What the daemon's logback.xml writes (stdout) while {@code work} runs, with AWS_VPC_K8S_CNI_LOGLEVEL at
     * {@code level}; the test configuration is put back afterwards.
     */
    static Captured captureDaemonLog(String level, Work work) throws Exception {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var stdout = System.out;
        var captured = new ByteArrayOutputStream();
        context.reset();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            context.putProperty("AWS_VPC_K8S_CNI_LOGLEVEL", level);
            var configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(SdkEc2ApiLogSecretsTest.class.getResource("/logback.xml"));
            work.run();
        } finally {
            context.reset();
            System.setOut(stdout);
            new ContextInitializer(context).autoConfig();
        }
        var mapper = new ObjectMapper();
        var events = new ArrayList<JsonNode>();
        var text = new StringBuilder();
        for (var line : captured.toString(StandardCharsets.UTF_8).lines().toList()) {
            text.append(line).append('\n');
            try {
                var event = mapper.readTree(line);
                events.add(event);
                appendTexts(event, text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
                // kept as written above
            }
        }
        return new Captured(events, text.toString());
    }

    private static void appendTexts(JsonNode node, StringBuilder text) {
        if (node.isValueNode()) {
            text.append(node.asText()).append('\n');
        }
        node.forEach(child -> appendTexts(child, text));
    }
}
