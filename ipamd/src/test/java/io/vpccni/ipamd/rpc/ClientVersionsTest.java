package io.vpccni.ipamd.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientVersionsTest {
    private final ClientVersions versions = new ClientVersions("1.0.0");

    @ParameterizedTest
    @CsvSource(value = {"1.0.0,1", "v1.23.1,1", "2.0,2", "10.1.1,10", "1,1", "'',-1", "v,-1", "x1.0,-1", "1x.0,-1", "null,-1"},
            nullValues = "null")
    void majorVersionIsTheLeadingNumber(String version, int major) {
        assertEquals(major, ClientVersions.majorOf(version));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0", "v1.23.1", "1.99.0-rc1"})
    void sameMajorIsServed(String client) {
        assertDoesNotThrow(() -> versions.requireCompatible(client));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.0.0", "v0.9", "", "garbage"})
    void otherMajorsAreRefusedNamingBothVersions(String client) {
        var e = assertThrows(StatusRuntimeException.class, () -> versions.requireCompatible(client));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("'" + client + "'"), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("1.0.0"), e.getStatus().getDescription());
    }
}
