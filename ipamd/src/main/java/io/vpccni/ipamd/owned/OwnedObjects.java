package io.vpccni.ipamd.owned;

import java.util.function.Supplier;

/** What the healer may put back: a snapshot to compare the kernel with, and a gate for each write. */
public interface OwnedObjects {
    OwnedState snapshot();

    /**
     * Runs {@code write} only if {@code object} is still owned, atomically with any release of it: an object
     * a DEL took away after the snapshot is never put back.
     *
     * @return whether it ran
     */
    boolean writeIfOwned(Object object, Runnable write);

    /** A fixed or computed set with no releases to race (tests, benchmarks, node-wide objects). */
    static OwnedObjects of(Supplier<OwnedState> state) {
        return new OwnedObjects() {
            @Override
            public OwnedState snapshot() {
                return state.get();
            }

            @Override
            public boolean writeIfOwned(Object object, Runnable write) {
                if (!state.get().contains(object)) {
                    return false;
                }
                write.run();
                return true;
            }
        };
    }
}
