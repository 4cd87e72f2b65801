package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetlinkMonitor.Event;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.owned.OwnedState;
import io.vpccni.ipamd.schedule.FakeScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The healer's loop on the scheduler's clock: a flush's removals make one repair a debounce after the first of
 * them, additions make none, and the periodic full check finds what no event reported.
 */
class StateHealerScheduleTest {
    private static final Duration FULL_CHECK = Duration.ofSeconds(30);
    private static final List<Rule> OWNED = List.of(Rule.to(512, IpPrefix.of("10.0.1.5/32"), 254),
            Rule.from(1536, IpPrefix.of("10.0.1.5/32"), 2), Rule.from(32765, IpPrefix.of("10.0.1.20/32"), 2));

    @Test
    void aFlushIsRepairedOnceADebounceAfterItsFirstRemovalAndTheFullCheckCatchesTheRest() {
        var kernel = new RuleTable(OWNED);
        var scheduler = new FakeScheduler();
        try (var healer = new StateHealer(kernel, () -> OwnedState.ofRules(OWNED), FULL_CHECK)) {
            healer.schedule(scheduler);
            for (var rule : OWNED) {  // a networkd restart: every foreign rule goes, one event each
                kernel.deleteRule(rule);
                healer.onEvent(new Event.RuleChanged(rule, true));
                scheduler.advance(Duration.ofMillis(1));
            }
            scheduler.advance(StateHealer.DEBOUNCE.minusMillis(OWNED.size()).minusNanos(1));
            assertEquals(0, healer.restoredRules(), "not before the debounce after the first removal");
            scheduler.advance(Duration.ofNanos(1));
            assertEquals(3, healer.restoredRules());
            assertTrue(kernel.rules().containsAll(OWNED));
            assertEquals(1, scheduler.runs("state-healer"), "one repair for the whole burst");

            healer.onEvent(new Event.RuleChanged(OWNED.getFirst(), false));
            scheduler.advance(Duration.ofSeconds(1));
            assertEquals(1, scheduler.runs("state-healer"), "an added rule is no reason to look");

            kernel.deleteRule(OWNED.getFirst());  // the monitor missed this one
            var fullCheck = scheduler.dueIn("state-healer").orElseThrow();
            assertEquals(FULL_CHECK.minusSeconds(1), fullCheck, "the full check comes an interval after the last pass");
            scheduler.advance(fullCheck);
            assertEquals(4, healer.restoredRules());
            assertEquals(2, scheduler.runs("state-healer"));

            healer.onEvent(new Event.Overflow());  // lost events: look at everything
            scheduler.advance(StateHealer.DEBOUNCE);
            assertEquals(3, scheduler.runs("state-healer"));
        }
    }
}
