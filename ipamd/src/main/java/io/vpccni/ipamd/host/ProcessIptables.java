package io.vpccni.ipamd.host;

import java.util.List;

/**
 * The iptables tools of one backend ({@code iptables-legacy-save}, {@code iptables-nft-restore}, ...), run as
 * processes. {@code --wait} shares the xtables lock with kube-proxy and anyone else writing the legacy tables.
 */
public final class ProcessIptables implements Iptables {
    private final IptablesMode mode;

    public ProcessIptables(IptablesMode mode) {
        this.mode = mode;
    }

    @Override
    public IptablesMode mode() {
        return mode;
    }

    @Override
    public String save(String table) throws IptablesException {
        return Commands.run(List.of(tool("save"), "-t", table), null);
    }

    @Override
    public String saveAll() throws IptablesException {
        return Commands.run(List.of(tool("save")), null);
    }

    @Override
    public void restore(String input) throws IptablesException {
        Commands.run(List.of(tool("restore"), "--noflush", "--wait", "10"), input);
    }

    private String tool(String verb) {
        return "iptables-" + mode.label() + "-" + verb;
    }
}
