package io.vpccni.ipamd.rpc;

import io.grpc.Status;
import io.vpccni.ipamd.pod.CallerGoneException;
import io.vpccni.ipamd.pod.WiringException;
import io.vpccni.ipamd.pool.PoolException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon's half of the error contract in proto/README.md: each domain failure becomes its row's status. */
class StatusMappingTest {
    @Test
    void everyDomainFailureBecomesItsStatus() {
        var rows = new LinkedHashMap<RuntimeException, Status.Code>();
        rows.put(new PoolException(PoolException.Reason.NOT_READY, "starting"), Status.Code.UNAVAILABLE);
        rows.put(new PoolException(PoolException.Reason.NOT_DURABLE, "disk full"), Status.Code.UNAVAILABLE);
        rows.put(new PoolException(PoolException.Reason.EXHAUSTED, "no free address"), Status.Code.RESOURCE_EXHAUSTED);
        rows.put(new CallerGoneException("the caller's deadline passed before wiring"), Status.Code.DEADLINE_EXCEEDED);
        rows.put(new IllegalArgumentException("ContainerID is empty"), Status.Code.INVALID_ARGUMENT);
        rows.put(new WiringException("RTM_NEWROUTE: EEXIST"), Status.Code.INTERNAL);
        rows.put(Status.FAILED_PRECONDITION.withDescription("plugin 2.0.0, daemon 1.0.0").asRuntimeException(),
                Status.Code.FAILED_PRECONDITION);
        rows.put(new IllegalStateException("a bug"), Status.Code.INTERNAL);
        rows.forEach((failure, code) -> {
            var status = StatusMapping.toStatus("ADD", "container c1 eth0", failure).getStatus();
            assertEquals(code, status.getCode(), failure.toString());
            var said = failure instanceof io.grpc.StatusRuntimeException s ? s.getStatus().getDescription() : failure.getMessage();
            assertTrue(status.getDescription().contains(said), "the reason travels: " + status.getDescription());
        });
    }
}
