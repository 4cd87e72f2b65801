package io.vpccni.ipamd.k8s;

import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventSpamFilterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final EventSpamFilter filter = new EventSpamFilter(clock);

    private int allowed(String object, String reason, int tries) {
        var allowed = 0;
        for (var i = 0; i < tries; i++) {
            allowed += filter.allow(object, reason) ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void aBucketPerObjectAndReason() {
        assertEquals(25, allowed("pod a", "X", 40));
        assertEquals(25, allowed("pod a", "Y", 40));
        assertEquals(25, allowed("pod b", "X", 40));
    }

    @Test
    void refillsOneTokenPerFiveMinutesUpToTheBurstAndKeepsPartialProgress() {
        allowed("pod a", "X", 25);
        clock.advance(Duration.ofMinutes(7));
        assertEquals(1, allowed("pod a", "X", 5), "one whole refill in seven minutes");
        clock.advance(Duration.ofMinutes(3));
        assertTrue(filter.allow("pod a", "X"), "the two minutes left over count toward the next token");
        assertFalse(filter.allow("pod a", "X"));

        clock.advance(Duration.ofDays(1));
        assertEquals(25, allowed("pod a", "X", 40), "a quiet day refills to the burst, not beyond");
    }

    @Test
    void aClockThatStepsBackDoesNotStopRefills() {
        allowed("pod a", "X", 25);
        clock.advance(Duration.ofMinutes(-30));
        assertFalse(filter.allow("pod a", "X"));
        clock.advance(Duration.ofMinutes(5));
        assertTrue(filter.allow("pod a", "X"));
    }
}
