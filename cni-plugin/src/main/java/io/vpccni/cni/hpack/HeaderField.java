package io.vpccni.cni.hpack;

/**
 * One header field. Names and values are byte strings in HPACK; here each char is one octet (ISO-8859-1),
 * so {@code length()} is the octet count.
 *
 * <p>equals/hashCode/toString are written out because the record defaults bootstrap through
 * invokedynamic, which costs class loading on a cold JVM.
 */
public record HeaderField(String name, String value) {

    /** Per-entry overhead the dynamic table charges (RFC 7541 §4.1). */
    static final int ENTRY_OVERHEAD = 32;

    public HeaderField {
        if (name == null || value == null) {
            throw new NullPointerException(name == null ? "name" : "value");
        }
    }

    /** The size RFC 7541 §4.1 (and SETTINGS_MAX_HEADER_LIST_SIZE) charges for this field: octets + 32. */
    public int size() {
        return name.length() + value.length() + ENTRY_OVERHEAD;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderField f && name.equals(f.name) && value.equals(f.value);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + value.hashCode();
    }

    @Override
    public String toString() {
        return new StringBuilder(name.length() + value.length() + 2).append(name).append(": ").append(value).toString();
    }
}
