package io.vpccni.ipamd.cloud;

import java.util.Optional;

/**
 * An EC2 call failed. The subtype says what the caller should do; the message names the API call, the object
 * it was about, EC2's error code and message, and what to do next.
 *
 * <p>Checked, because every caller owes a reaction: the pool backs off on {@link SubnetExhausted}, resyncs on
 * {@link EniFull}, forgets the ENI on {@link NotFound}, raises an event on {@link MissingPermission}.
 */
public abstract sealed class CloudException extends Exception {
    private final String api;
    private final String object;
    private final String errorCode;
    private final String requestId;

    private CloudException(String api, String object, String errorCode, String requestId, String message,
                           Throwable cause) {
        super(message, cause);
        this.api = api;
        this.object = object;
        this.errorCode = errorCode;
        this.requestId = requestId;
    }

    /** The EC2 action, e.g. {@code CreateNetworkInterface}. */
    public String api() {
        return api;
    }

    /** What the call was about, e.g. {@code eni-0abc} or {@code subnet subnet-0abc}. */
    public String object() {
        return object;
    }

    /** EC2's error code; empty when the call never got an answer. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Whether the same call may succeed later without anything else changing. */
    public abstract boolean retryable();

    /** EC2 throttled the account (RequestLimitExceeded) even after the SDK's own retries. */
    public static final class Throttled extends CloudException {
        Throttled(String api, String object, String code, String requestId, String ec2Message, Throwable cause) {
            super(api, object, code, requestId, describe(api, object, code, ec2Message)
                    + ". EC2 is rate-limiting this account; retry later with backoff", cause);
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** The subnet has no free addresses or no free /28 blocks: the pool must back off from it. */
    public static final class SubnetExhausted extends CloudException {
        SubnetExhausted(String api, String object, String code, String requestId, String ec2Message,
                        Throwable cause) {
            super(api, object, code, requestId, describe(api, object, code, ec2Message)
                    + ". The subnet is out of free addresses" + ("InsufficientCidrBlocks".equals(code)
                    ? " or contiguous /28 blocks" : "")
                    + "; back off, free addresses, or give the node a larger subnet (custom networking)", cause);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The ENI already holds as many addresses as its instance type allows: resync the pool with EC2. */
    public static final class EniFull extends CloudException {
        EniFull(String api, String object, String code, String requestId, String ec2Message, Throwable cause) {
            super(api, object, code, requestId, describe(api, object, code, ec2Message)
                    + ". The ENI is at its address limit; resync the pool from EC2 before asking again", cause);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The node's IAM role may not perform the call (UnauthorizedOperation). */
    public static final class MissingPermission extends CloudException {
        private final String permission;

        MissingPermission(String api, String object, String code, String requestId, String ec2Message,
                          Throwable cause) {
            super(api, object, code, requestId, describe(api, object, code, ec2Message)
                    + ". The node's IAM role lacks permission ec2:" + api
                    + "; add it to the role (AmazonEKS_CNI_Policy grants it)", cause);
            this.permission = "ec2:" + api;
        }

        /** The IAM action to grant, e.g. {@code ec2:CreateNetworkInterface}. */
        public String permission() {
            return permission;
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** The ENI (or attachment) no longer exists. */
    public static final class NotFound extends CloudException {
        NotFound(String api, String object, String code, String requestId, String ec2Message, Throwable cause) {
            super(api, object, code, requestId, describe(api, object, code, ec2Message)
                    + ". It no longer exists in EC2; drop it from the pool", cause);
        }

        @Override
        public boolean retryable() {
            return false;
        }
    }

    /** Any other refusal by EC2, or no answer at all (network, timeout). */
    public static final class Failed extends CloudException {
        private final boolean retryable;

        Failed(String api, String object, String code, String requestId, String ec2Message, boolean retryable,
               Throwable cause) {
            super(api, object, code, requestId, describe(api, object, code, ec2Message)
                    + (retryable ? ". Retry later" : ". Check the request and the account's limits"), cause);
            this.retryable = retryable;
        }

        @Override
        public boolean retryable() {
            return retryable;
        }
    }

    private static String describe(String api, String object, String code, String ec2Message) {
        var sb = new StringBuilder("EC2 ").append(api).append(" on ").append(object).append(" failed");
        if (code != null) {
            sb.append(": ").append(code);
        }
        if (ec2Message != null && !ec2Message.isBlank()) {
            sb.append(code != null ? " (" : ": (").append(ec2Message).append(')');
        }
        return sb.toString();
    }

    /** Maps an EC2 error code to the exception the caller should see. {@code code} is null without an answer. */
    static CloudException of(String api, String object, String code, String requestId, String ec2Message,
                             boolean serverSideOrTransient, Throwable cause) {
        if (code == null) {
            return new Failed(api, object, null, requestId, ec2Message, true, cause);
        }
        return switch (code) {
            case "RequestLimitExceeded", "Throttling", "ThrottlingException" ->
                    new Throttled(api, object, code, requestId, ec2Message, cause);
            case "InsufficientFreeAddressesInSubnet", "InsufficientCidrBlocks" ->
                    new SubnetExhausted(api, object, code, requestId, ec2Message, cause);
            case "PrivateIpAddressLimitExceeded" -> new EniFull(api, object, code, requestId, ec2Message, cause);
            case "UnauthorizedOperation" -> new MissingPermission(api, object, code, requestId, ec2Message, cause);
            case "InvalidNetworkInterfaceID.NotFound", "InvalidAttachmentID.NotFound" ->
                    new NotFound(api, object, code, requestId, ec2Message, cause);
            default -> new Failed(api, object, code, requestId, ec2Message, serverSideOrTransient, cause);
        };
    }
}
