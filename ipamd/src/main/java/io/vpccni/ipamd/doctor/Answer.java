package io.vpccni.ipamd.doctor;

/** What a question to the daemon got: the value, or why there is none, in words for the report. */
public sealed interface Answer<T> {
    record Got<T>(T value) implements Answer<T> {
    }

    record Failed<T>(String why) implements Answer<T> {
    }

    static <T> Answer<T> got(T value) {
        return new Got<>(value);
    }

    static <T> Answer<T> failed(String why) {
        return new Failed<>(why);
    }

    /** The value, or null when the question failed. */
    default T orNull() {
        return this instanceof Got<T> g ? g.value() : null;
    }
}
