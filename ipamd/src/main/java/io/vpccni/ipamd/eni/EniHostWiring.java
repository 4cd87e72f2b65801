package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.EniInfo;

/**
 * The host side of a secondary ENI (MTU, up, its primary address, its route table and rule 32765). The
 * host-networking capability implements it; both methods are idempotent.
 */
public interface EniHostWiring {
    /** @param subnet the ENI's subnet: the primary address's prefix length, and the gateway (its first address) */
    void setUp(EniInfo eni, String linkName, String primaryIp, IpPrefix subnet);

    void tearDown(EniInfo eni);

    /** For nodes whose ENIs someone else configures (and benchmarks without a kernel): changes nothing. */
    EniHostWiring NONE = new EniHostWiring() {
        @Override
        public void setUp(EniInfo eni, String linkName, String primaryIp, IpPrefix subnet) {
        }

        @Override
        public void tearDown(EniInfo eni) {
        }
    };
}
