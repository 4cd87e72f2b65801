package io.vpccni.ipamd.eni;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The node's view of an attached ENI: the kernel link that carries its MAC. */
public interface EniLinks {
    /** Waits until a link with {@code mac} exists. @return its name @throws TimeoutException naming the MAC */
    String awaitLink(String mac, Duration timeout) throws TimeoutException, InterruptedException;
}
