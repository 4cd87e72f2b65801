package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.k8s.SweepLease;
import io.vpccni.ipamd.k8s.SweepLease.Claim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which ENIs a pass sweeps, by what the lease said; and what the scopes ask EC2 for. */
class SweepTurnTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"HELD, CLUSTER", "HELD_BY_ANOTHER_NODE, SKIP", "UNKNOWN, OWN_NODE"})
    void turnByClaim(Claim claim, SweepTurn turn) {
        assertEquals(turn, SweepTurn.after(claim));
    }

    @Test
    void aLeaseThatOnlyAnswersAcquireNeverMakesANodeSkipItsSweep() {
        SweepLease refuses = term -> false;
        SweepLease grants = term -> true;
        assertEquals(Claim.UNKNOWN, refuses.claim(Duration.ofMinutes(70)));
        assertEquals(Claim.UNKNOWN, SweepLease.NONE.claim(Duration.ofMinutes(70)));
        assertEquals(Claim.HELD, grants.claim(Duration.ofMinutes(70)));
    }

    @Test
    void theClusterScopeFiltersOnAnyInstanceTheVpcAndTheClusterTag() {
        var scope = new SweepScope("i-aaa", "vpc-1", Optional.of("prod"));
        assertEquals("[Filter[name=tag-key, values=[node.k8s.amazonaws.com/instance_id]], Filter[name=status, values=[available]], "
                + "Filter[name=vpc-id, values=[vpc-1]], Filter[name=tag:cluster.k8s.amazonaws.com/name, values=[prod]]]",
                scope.clusterFilters().orElseThrow().toString());
        assertEquals("[Filter[name=tag:node.k8s.amazonaws.com/instance_id, values=[i-aaa]], Filter[name=status, values=[available]]]",
                scope.ownNodeFilters().toString());
    }

    @Test
    void aBlankClusterNameIsNoClusterScope() {
        assertTrue(new SweepScope("i-aaa", "vpc-1", Optional.of(" ")).clusterFilters().isEmpty());
        assertTrue(new SweepScope("i-aaa", null, Optional.empty()).clusterFilters().isEmpty());
    }

    @Test
    void aClusterScopeWithoutTheVpcIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SweepScope("i-aaa", null, Optional.of("prod")));
    }
}
