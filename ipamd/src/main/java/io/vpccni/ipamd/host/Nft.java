package io.vpccni.ipamd.host;

/** The node's nftables, for the one table of our own: read it, replace it in one transaction. */
public interface Nft {
    /** {@code nft list table ip <name>}, or "" when there is no such table. */
    String listTable(String name) throws IptablesException;

    /** {@code nft -f -}: all of {@code input} is applied, or none of it. */
    void apply(String input) throws IptablesException;

    Nft PROCESS = new Nft() {
        @Override
        public String listTable(String name) throws IptablesException {
            var tables = Commands.run(java.util.List.of("nft", "list", "tables", "ip"), null);
            if (tables.lines().noneMatch(("table ip " + name)::equals)) {
                return "";
            }
            return Commands.run(java.util.List.of("nft", "list", "table", "ip", name), null);
        }

        @Override
        public void apply(String input) throws IptablesException {
            Commands.run(java.util.List.of("nft", "-f", "-"), input);
        }
    };
}
