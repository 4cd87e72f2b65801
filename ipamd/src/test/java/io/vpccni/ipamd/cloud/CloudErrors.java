package io.vpccni.ipamd.cloud;

/** EC2 errors as the SDK adapter maps them, for tests outside this package. */
public final class CloudErrors {
    private CloudErrors() {
    }

    public static CloudException of(String api, String object, String code, String message) {
        return CloudException.of(api, object, code, "req-test", message, false, null);
    }
}
