package io.vpccni.ipamd.pod;

/** One way in which a pod's network differs from what it should be, e.g. ("rule 1536 from 10.0.1.5", "present", "missing"). */
public record Drift(String object, String expected, String actual) {
    @Override
    public String toString() {
        return object + ": expected " + expected + ", found " + actual;
    }
}
