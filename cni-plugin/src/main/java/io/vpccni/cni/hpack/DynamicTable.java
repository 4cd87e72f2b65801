package io.vpccni.cni.hpack;

/**
 * The decoder's dynamic table (RFC 7541 §2.3.2, §4): a FIFO of fields, newest at index 1, evicted oldest-first
 * so that the sum of entry sizes stays within the capacity. A ring buffer, so inserting never shifts entries.
 */
final class DynamicTable {
    private HeaderField[] ring = new HeaderField[8];
    private int head;     // slot of the newest entry
    private int count;
    private int size;     // sum of HeaderField.size() over the entries
    private int capacity; // the current maximum size, as last set by a dynamic table size update

    DynamicTable(int capacity) {
        this.capacity = capacity;
    }

    /** Number of entries. */
    int length() {
        return count;
    }

    /** Sum of entry sizes, in octets. */
    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** The entry at {@code index}, 1 = newest; the caller checks 1 <= index <= length(). */
    HeaderField get(int index) {
        return ring[(head + index - 1) & (ring.length - 1)];
    }

    /** Inserts at index 1 after evicting what no longer fits; a field bigger than the capacity just empties the table (§4.4). */
    void add(HeaderField field) {
        int fieldSize = field.size();
        if (fieldSize > capacity) {
            evictTo(0);
            return;
        }
        evictTo(capacity - fieldSize);
        if (count == ring.length) {
            grow();
        }
        head = (head - 1) & (ring.length - 1);
        ring[head] = field;
        count++;
        size += fieldSize;
    }

    /** Applies a dynamic table size update (§4.3): shrinking evicts at once. */
    void setCapacity(int newCapacity) {
        capacity = newCapacity;
        evictTo(newCapacity);
    }

    private void evictTo(int maxSize) {
        while (size > maxSize) {
            int oldest = (head + count - 1) & (ring.length - 1);
            size -= ring[oldest].size();
            ring[oldest] = null;
            count--;
        }
    }

    /** Doubles the ring (its length stays a power of two, for the masks), newest first at slot 0. */
    private void grow() {
        var bigger = new HeaderField[ring.length * 2];
        for (int i = 0; i < count; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }
}
