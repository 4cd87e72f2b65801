package io.vpccni.ipamd.host;

/** A firewall tool (iptables-*, nft) failed or could not run; the message names the command and what it printed. */
public final class IptablesException extends Exception {
    public IptablesException(String message) {
        super(message);
    }
}
