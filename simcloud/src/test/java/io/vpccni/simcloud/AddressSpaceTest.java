package io.vpccni.simcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AddressSpaceTest {

    @ParameterizedTest
    @CsvSource({"10.0.0.0/24, 251", "10.0.0.0/28, 11", "10.0.0.0/20, 4091", "10.0.0.0/16, 65531"})
    void awsReservesFirstFourAndLastAddress(String cidr, int available) {
        assertEquals(available, new AddressSpace(Cidr.parse(cidr)).available());
    }

    @Test
    void firstAllocationSkipsReservedAddresses() {
        var space = new AddressSpace(Cidr.parse("10.0.1.0/24"));
        assertEquals("10.0.1.4", Cidr.formatAddress(space.allocateAddress()));
        assertFalse(space.claimAddress(Cidr.parseAddress("10.0.1.255")), "broadcast is reserved");
        assertFalse(space.claimAddress(Cidr.parseAddress("10.0.1.4")), "already taken");
    }

    @Test
    void prefixesAreAlignedAndComeOnlyFromWhollyFreeBlocks() {
        var space = new AddressSpace(Cidr.parse("10.0.3.0/26"));
        space.allocateAddress(); // 10.0.3.4 makes the first /28 partly used
        assertEquals("10.0.3.16/28", space.allocatePrefix().toString());
        assertEquals("10.0.3.32/28", space.allocatePrefix().toString());
        assertNull(space.allocatePrefix(), "10.0.3.48/28 holds the reserved broadcast address");
        assertEquals(64 - 5 - 1 - 32, space.available());
        space.releasePrefix(Cidr.parse("10.0.3.16/28"));
        assertEquals("10.0.3.16/28", space.allocatePrefix().toString());
    }

    @Test
    void exhaustionReturnsMinusOne() {
        var space = new AddressSpace(Cidr.parse("10.0.0.0/28"));
        for (int i = 0; i < 11; i++) space.allocateAddress();
        assertEquals(-1, space.allocateAddress());
        assertEquals(0, space.available());
    }
}
