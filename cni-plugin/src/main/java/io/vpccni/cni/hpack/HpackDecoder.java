package io.vpccni.cni.hpack;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes HPACK header blocks (RFC 7541) for one HTTP/2 connection; the dynamic table carries over from
 * block to block, so blocks must be decoded in the order they arrived. Not thread-safe.
 */
public final class HpackDecoder {
    /** The initial SETTINGS_HEADER_TABLE_SIZE of HTTP/2. */
    public static final int DEFAULT_HEADER_TABLE_SIZE = 4096;

    private final BlockReader in = new BlockReader();
    private final DynamicTable table;
    private final int maxHeaderListSize;
    private int maxTableSize;            // the most a size update may ask for: our SETTINGS_HEADER_TABLE_SIZE
    private boolean sizeUpdateRequired;  // the limit went below the table's capacity: the peer must acknowledge it

    /** A decoder with the default 4,096-octet table limit. */
    public HpackDecoder(int maxHeaderListSize) {
        this(DEFAULT_HEADER_TABLE_SIZE, maxHeaderListSize);
    }

    /**
     * @param maxTableSize      the SETTINGS_HEADER_TABLE_SIZE we advertise: the largest dynamic table the peer may use
     * @param maxHeaderListSize the largest decoded header list accepted, counted as SETTINGS_MAX_HEADER_LIST_SIZE
     *                          counts it: octets of names and values plus 32 per field
     */
    public HpackDecoder(int maxTableSize, int maxHeaderListSize) {
        if (maxTableSize < 0 || maxHeaderListSize < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        this.maxTableSize = maxTableSize;
        this.maxHeaderListSize = maxHeaderListSize;
        this.table = new DynamicTable(maxTableSize);
    }

    /**
     * Changes the table limit, once the peer has acknowledged the SETTINGS frame that announced it. A limit below
     * the current table capacity obliges the peer to start its next block with a size update (RFC 7541 §4.2).
     */
    public void setMaxTableSize(int maxTableSize) {
        if (maxTableSize < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        this.maxTableSize = maxTableSize;
        if (maxTableSize < table.capacity()) {
            sizeUpdateRequired = true;
        }
    }

    /** Decodes a complete header block (HEADERS plus any CONTINUATION payloads, concatenated). */
    public List<HeaderField> decode(byte[] block) throws HpackException {
        return decode(block, 0, block.length);
    }

    public List<HeaderField> decode(byte[] block, int off, int len) throws HpackException {
        if (off < 0 || len < 0 || len > block.length - off) {
            throw new IndexOutOfBoundsException("bad block range");
        }
        in.reset(block, off, len);
        try {
            return decodeBlock();
        } finally {
            in.release();
        }
    }

    /** Decodes the buffer's remaining bytes; on success its position is advanced to its limit. */
    public List<HeaderField> decode(ByteBuffer block) throws HpackException {
        List<HeaderField> fields;
        if (block.hasArray()) {
            fields = decode(block.array(), block.arrayOffset() + block.position(), block.remaining());
        } else {
            var copy = new byte[block.remaining()];
            block.duplicate().get(copy);
            fields = decode(copy, 0, copy.length);
        }
        block.position(block.limit());
        return fields;
    }

    /** The dynamic table, for tests. */
    DynamicTable dynamicTable() {
        return table;
    }

    private List<HeaderField> decodeBlock() throws HpackException {
        var fields = new ArrayList<HeaderField>();
        long listSize = 0;
        int tooLargeAt = -1;     // once over the limit, keep decoding (to keep the table in sync) but keep nothing
        boolean fieldSeen = false;
        while (in.hasMore()) {
            int at = in.offset();
            int b = in.peek();
            HeaderField field;
            if ((b & 0xe0) == 0x20) {
                // 001xxxxx: dynamic table size update (§6.3), allowed only before the first field.
                if (fieldSeen) {
                    throw new HpackException("dynamic table size update after a header field", at);
                }
                int size = in.readInt(5);
                if (size > maxTableSize) {
                    throw new HpackException(new StringBuilder(80).append("dynamic table size update to ").append(size)
                            .append(" exceeds the limit of ").append(maxTableSize).toString(), at);
                }
                table.setCapacity(size);
                sizeUpdateRequired = false;
                continue;
            }
            if (sizeUpdateRequired) {
                throw new HpackException("block does not start with the dynamic table size update owed after a limit reduction", at);
            }
            fieldSeen = true;
            if ((b & 0x80) != 0) {
                // 1xxxxxxx: indexed header field (§6.1).
                field = lookup(in.readInt(7), at);
            } else if ((b & 0x40) != 0) {
                // 01xxxxxx: literal with incremental indexing (§6.2.1).
                field = readLiteral(6, at);
                table.add(field);
            } else {
                // 0000xxxx without indexing (§6.2.2), 0001xxxx never indexed (§6.2.3); the same to a decoder
                // that is not an intermediary.
                field = readLiteral(4, at);
            }
            if (tooLargeAt < 0) {
                listSize += field.size();
                if (listSize > maxHeaderListSize) {
                    tooLargeAt = at;
                } else {
                    fields.add(field);
                }
            }
        }
        if (tooLargeAt >= 0) {
            throw new HpackException(new StringBuilder(80).append("header list exceeds the limit of ")
                    .append(maxHeaderListSize).append(" octets with the field").toString(), tooLargeAt, false);
        }
        return fields;
    }

    private HeaderField readLiteral(int prefixBits, int at) throws HpackException {
        int index = in.readInt(prefixBits);
        String name = index == 0 ? in.readString() : lookup(index, at).name();
        return new HeaderField(name, in.readString());
    }

    private HeaderField lookup(int index, int at) throws HpackException {
        if (index == 0) {
            throw new HpackException("index 0 is not a valid table index", at);
        }
        if (index <= StaticTable.LENGTH) {
            return StaticTable.get(index);
        }
        int dynamic = index - StaticTable.LENGTH;
        if (dynamic > table.length()) {
            throw new HpackException(new StringBuilder(96).append("index ").append(index)
                    .append(" is beyond the static table (61) and the dynamic table (").append(table.length())
                    .append(" entries)").toString(), at);
        }
        return table.get(dynamic);
    }
}
