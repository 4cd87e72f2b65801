package io.vpccni.ipamd.host;

/** One iptables backend of the node: read a table, apply a restore transaction. The narrow edge to the kernel's firewall. */
public interface Iptables {
    IptablesMode mode();

    /** {@code iptables-save -t <table>}; a table never used prints as empty. */
    String save(String table) throws IptablesException;

    /** The whole node's rules in this backend, every table. */
    String saveAll() throws IptablesException;

    /** {@code iptables-restore --noflush}: all of {@code input} is applied, or none of it. */
    void restore(String input) throws IptablesException;
}
