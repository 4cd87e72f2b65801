package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.net.Netlink;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Finds an attached ENI's link by MAC in the host namespace, polling until it appears. */
public final class NetlinkEniLinks implements EniLinks {
    private final Netlink host;

    public NetlinkEniLinks(Netlink host) {
        this.host = host;
    }

    @Override
    public String awaitLink(String mac, Duration timeout) throws TimeoutException, InterruptedException {
        var deadline = System.nanoTime() + timeout.toNanos();
        var pause = 10L;
        while (true) {
            var link = host.linkByMac(mac);
            if (link.isPresent()) {
                return link.get().name();
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no link with MAC " + mac + " appeared within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 500);
        }
    }
}
