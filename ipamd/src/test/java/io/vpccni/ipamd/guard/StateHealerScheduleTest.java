package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetlinkMonitor.Event;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.owned.OwnedObjects;
import io.vpccni.ipamd.owned.OwnedState;
import io.vpccni.ipamd.schedule.FakeScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The healer's loop on the scheduler's clock: a flush's removals make one repair a debounce after the first of
 * them, additions make none, and the periodic full check finds what no event reported. A repair after reported
 * removals writes only those still owned and reads nothing; a removed address or lost events make a full pass.
 */
class StateHealerScheduleTest {
    private static final Duration FULL_CHECK = Duration.ofSeconds(30);
    private static final List<Rule> OWNED = List.of(Rule.to(512, IpPrefix.of("10.0.1.5/32"), 254),
            Rule.from(1536, IpPrefix.of("10.0.1.5/32"), 2), Rule.from(32765, IpPrefix.of("10.0.1.20/32"), 2));

    @Test
    void aFlushIsRepairedOnceADebounceAfterItsFirstRemovalAndTheFullCheckCatchesTheRest() {
        var kernel = new RuleTable(OWNED);
        var scheduler = new FakeScheduler();
        try (var healer = new StateHealer(kernel, OwnedObjects.of(() -> OwnedState.ofRules(OWNED)), FULL_CHECK, scheduler.clock())) {
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
            assertEquals(FULL_CHECK.minusMillis(1005), fullCheck,
                    "the full check keeps its cadence: an interval after the last full check, however many repairs ran since");
            scheduler.advance(fullCheck);
            assertEquals(4, healer.restoredRules());
            assertEquals(2, scheduler.runs("state-healer"));

            healer.onEvent(new Event.Overflow());  // lost events: look at everything
            scheduler.advance(StateHealer.DEBOUNCE);
            assertEquals(3, scheduler.runs("state-healer"));
        }
    }

    @Test
    void aRepairWritesOnlyWhatWasReportedAndStillOwnedWithoutReadingTheKernel() {
        var kernel = new RuleTable(OWNED);
        var owned = new ArrayList<>(OWNED);
        var scheduler = new FakeScheduler();
        try (var healer = new StateHealer(kernel, OwnedObjects.of(() -> OwnedState.ofRules(owned)), FULL_CHECK, scheduler.clock())) {
            healer.schedule(scheduler);
            var deleted = OWNED.getFirst();  // a pod's DEL: released first, then removed from the kernel
            owned.remove(deleted);
            kernel.deleteRule(deleted);
            healer.onEvent(new Event.RuleChanged(deleted, true));
            scheduler.advance(StateHealer.DEBOUNCE);
            assertEquals(1, scheduler.runs("state-healer"));
            assertFalse(kernel.rules().contains(deleted), "a rule no longer owned stays deleted");
            assertEquals(0, healer.restoredRules());

            var flushed = OWNED.get(1);  // someone else removes one we own
            kernel.deleteRule(flushed);
            healer.onEvent(new Event.RuleChanged(flushed, true));
            scheduler.advance(StateHealer.DEBOUNCE);
            assertEquals(1, healer.restoredRules());
            assertTrue(kernel.rules().contains(flushed));
            assertEquals(2, kernel.dumps(), "the repairs read no rules (these two reads are the test's own)");

            healer.onEvent(new Event.RuleChanged(flushed, true));  // reported, but back already: EEXIST, nothing counted
            scheduler.advance(StateHealer.DEBOUNCE);
            assertEquals(1, healer.restoredRules());
            assertEquals(3, scheduler.runs("state-healer"));

            var flush = new ArrayList<Rule>();  // a flush: more than a DEL removes, maybe more than the monitor has read yet
            for (var i = 0; i <= StateHealer.TARGETED_AT_MOST; i++) {
                var rule = Rule.to(512, IpPrefix.of("10.0.2." + i + "/32"), 254);
                flush.add(rule);
                healer.onEvent(new Event.RuleChanged(rule, true));
            }
            owned.addAll(flush);  // owned, and gone from the kernel (the last one's event not read yet)
            var beforeFlush = kernel.dumps();
            scheduler.advance(StateHealer.DEBOUNCE);
            assertEquals(beforeFlush + 1, kernel.dumps(), "a flush is repaired by a full pass");
            assertTrue(kernel.rules().containsAll(flush));
            assertEquals(1 + flush.size(), healer.restoredRules());

            var dumps = kernel.dumps();  // a removed address: the kernel drops what needs it silently, so look at everything
            healer.onEvent(new Event.AddressChanged(new Address(7, IpPrefix.of("10.0.1.20/24")), true));
            scheduler.advance(StateHealer.DEBOUNCE);
            assertEquals(dumps + 1, kernel.dumps(), "a full pass reads the rules");
            assertEquals(5, scheduler.runs("state-healer"));
        }
    }
}
