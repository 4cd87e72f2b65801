package io.vpccni.ipamd.doctor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IMDSv2 token PUT against a local stand-in: a token, a refusal, silence, nobody there. */
class DoctorImdsTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void aTokenAndTheInstanceTypeAreOk() throws IOException {
        try (var imds = new CannedHttp().answer("PUT /latest/api/token", "tok").answer("GET /latest/meta-data/instance-type", "m5.large")) {
            var facts = ImdsFacts.probe(imds.base(), SHORT);
            assertEquals(ImdsFacts.Outcome.TOKEN, facts.outcome());
            assertEquals("m5.large", facts.instanceType());
            var f = ImdsCheck.findings(facts).getFirst();
            assertEquals(Finding.Severity.OK, f.severity());
            assertTrue(f.evidence().contains("meta-data/instance-type: m5.large"), f.evidence().toString());
        }
    }

    @Test
    void aRefusedTokenIsAProblemAndA403SaysTheEndpointIsDisabled() throws IOException {
        try (var imds = new CannedHttp().answer("PUT /latest/api/token", 403, "Forbidden")) {
            var f = ImdsCheck.findings(ImdsFacts.probe(imds.base(), SHORT)).getFirst();
            assertEquals(Finding.Severity.PROBLEM, f.severity());
            assertTrue(f.fix().contains("--http-endpoint enabled"), f.fix());
        }
    }

    @Test
    void silenceIsATimeoutWhoseFixIsTheHopLimit() throws IOException {
        try (var imds = new CannedHttp().answer("PUT /latest/api/token", CannedHttp.HANG)) {
            var facts = ImdsFacts.probe(imds.base(), SHORT);
            assertEquals(ImdsFacts.Outcome.TIMEOUT, facts.outcome());
            var f = ImdsCheck.findings(facts).getFirst();
            assertEquals(Finding.Severity.PROBLEM, f.severity());
            assertTrue(f.evidence().stream().anyMatch(e -> e.contains("HttpPutResponseHopLimit=1")), f.evidence().toString());
            assertTrue(f.fix().contains("aws ec2 modify-instance-metadata-options --instance-id <id> --http-put-response-hop-limit 2"), f.fix());
        }
    }

    @Test
    void nobodyListeningIsRefused() throws IOException {
        java.net.URI base;
        try (var imds = new CannedHttp()) {
            base = imds.base();
        }
        var facts = ImdsFacts.probe(base, SHORT);
        assertEquals(ImdsFacts.Outcome.REFUSED, facts.outcome());
        assertEquals(Finding.Severity.PROBLEM, ImdsCheck.findings(facts).getFirst().severity());
    }
}
