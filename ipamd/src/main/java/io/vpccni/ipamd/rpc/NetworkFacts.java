package io.vpccni.ipamd.rpc;

import java.util.List;

/** Facts about the node's VPC that ADD replies carry (upstream's plugin uses them for its own SNAT setup). */
public interface NetworkFacts {
    boolean useExternalSnat();

    List<String> vpcV4Cidrs();
}
