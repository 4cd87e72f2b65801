package io.vpccni.ipamd.host;

/**
 * The two iptables backends a node can use. Rules written to the one the node's other components
 * (kube-proxy, the runtime) do not use still take effect, but in a different order than everyone expects,
 * so the choice is made from the rules already there, never from a version string.
 */
public enum IptablesMode {
    LEGACY("legacy"), NFT("nft");

    private final String label;

    IptablesMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * The backend holding more rules that are not ours. A tie (typically a node where nothing has written
     * any yet, because we started before kube-proxy) keeps the previous choice, or nft on a first start:
     * both AL2023 and current Ubuntu default to it. Re-detected on every reconcile, so a kube-proxy that
     * arrives later on legacy moves our rules there.
     */
    public static IptablesMode detect(int legacyForeignRules, int nftForeignRules, IptablesMode previous) {
        if (legacyForeignRules > nftForeignRules) {
            return LEGACY;
        }
        if (nftForeignRules > legacyForeignRules) {
            return NFT;
        }
        return previous == null ? NFT : previous;
    }
}
