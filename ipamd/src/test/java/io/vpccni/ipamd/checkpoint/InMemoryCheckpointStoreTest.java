package io.vpccni.ipamd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryCheckpointStoreTest {
    private static final Checkpoint ONE = new Checkpoint(List.of(FakeOwner.entry("a", "10.0.0.1")));
    private static final Checkpoint TWO = new Checkpoint(List.of(FakeOwner.entry("a", "10.0.0.1"),
            FakeOwner.entry("b", "10.0.0.2")));

    @Test
    void freshThenSaved() throws Exception {
        var store = new InMemoryCheckpointStore();
        assertEquals(Optional.empty(), store.load());
        store.save(ONE);
        assertEquals(Optional.of(ONE), store.load());
        assertEquals(1, store.saveCount());
    }

    @Test
    void failedSaveKeepsThePreviousCheckpoint() throws Exception {
        var store = new InMemoryCheckpointStore(ONE);
        store.failNextSave();
        assertThrows(CheckpointException.class, () -> store.save(TWO));
        assertEquals(Optional.of(ONE), store.saved());
        store.save(TWO);
        assertEquals(Optional.of(TWO), store.saved());
        assertEquals(1, store.saveCount());
    }

    @Test
    void failedLoadsSayWhy() {
        var store = new InMemoryCheckpointStore(ONE);
        store.failLoads("truncated");
        var e = assertThrows(CheckpointException.class, store::load);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
