package io.vpccni.ipamd.pool;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EniInfoTest {
    @ParameterizedTest
    @CsvSource({
            // card, device, primary, table
            "0, 0, true, 254",
            "0, 1, false, 2",
            "0, 14, false, 15",
            "1, 0, true, 10100",    // a primary ENI of another card is not the node's: its own table
            "1, 1, false, 10101",
            "3, 2, false, 10302"})
    void routeTablesAreNumberedAsUpstreamAndEc2NetUtils(int card, int device, boolean primary, int table) {
        assertEquals(table, EniInfo.routeTableFor(card, device, primary));
    }
}
