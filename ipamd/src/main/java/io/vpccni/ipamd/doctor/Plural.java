package io.vpccni.ipamd.doctor;

/** "1 pod", "2 pods": counts in the report read as a person writes them. */
final class Plural {
    private Plural() {
    }

    static String of(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    static String of(long n, String one) {
        return of(n, one, one + "s");
    }
}
