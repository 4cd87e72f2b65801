package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.pool.EniInfo;

/**
 * The host side of a secondary ENI (MTU, up, its primary address, its route table and rule 32765). The
 * host-networking capability implements it; both methods are idempotent.
 */
public interface EniHostWiring {
    void setUp(EniInfo eni, String linkName, String primaryIp);

    void tearDown(EniInfo eni);

    /** Until host networking lands: the link is found and nothing else is changed. */
    EniHostWiring NONE = new EniHostWiring() {
        @Override
        public void setUp(EniInfo eni, String linkName, String primaryIp) {
        }

        @Override
        public void tearDown(EniInfo eni) {
        }
    };
}
