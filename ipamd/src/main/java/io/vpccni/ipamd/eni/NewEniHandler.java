package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.EniInfo;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;

/**
 * The host side of ENIs the node reconcile finds attached or detached by someone else. An ENI joins the pool only
 * after {@link #setUp} returned, so no pod is given one of its addresses before its link, route table and rule exist
 * and the ownership guard had its say, as for the ENIs the daemon attaches itself.
 */
public interface NewEniHandler {
    /**
     * Wires the host side of an ENI someone else attached and says whether pods may use it.
     *
     * @param subnet the ENI's subnet, as IMDS gives it
     * @return false when another network manager owns its link: the ENI joins the pool excluded
     * @throws TimeoutException when its link does not appear: the ENI stays out of the pool, and a later pass tries again
     */
    boolean setUp(EniInfo eni, String primaryIp, IpPrefix subnet) throws TimeoutException, InterruptedException;

    /** Takes the host side away again after a set-up that failed or an ENI that could not join. Idempotent. */
    void tearDown(EniInfo eni);

    /** An ENI of the pool was detached behind the daemon's back: its link went with it, its rule and route table did not. */
    default void detached(EniInfo eni) {
        tearDown(eni);
    }

    /**
     * The handler the daemon uses: the same steps as for an ENI it attaches itself. {@code listener} is told as for
     * those (e.g. to keep systemd-networkd off the link), before the set-up and after the ENI left the node.
     */
    static NewEniHandler wiring(EniLinks links, EniHostWiring hostWiring, BiPredicate<String, String> admission,
                                EniAttachmentListener listener, Duration linkTimeout) {
        return new NewEniHandler() {
            @Override
            public boolean setUp(EniInfo eni, String primaryIp, IpPrefix subnet) throws TimeoutException, InterruptedException {
                listener.beforeAttach(eni.eniId(), eni.mac());
                var link = links.awaitLink(eni.mac(), linkTimeout);
                hostWiring.setUp(eni, link, primaryIp, subnet);
                return admission.test(eni.eniId(), eni.mac());
            }

            @Override
            public void tearDown(EniInfo eni) {
                hostWiring.tearDown(eni);  // still attached: networkd stays told to keep off its link
            }

            @Override
            public void detached(EniInfo eni) {
                hostWiring.tearDown(eni);
                listener.deleted(eni.eniId());
            }
        };
    }
}
