package io.vpccni.ipamd.cloud;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Upstream's AWS call metrics. EC2 calls are observed where every one passes, the SDK's interceptor chain: one
 * observation per call as the daemon makes it (the SDK's retries inside), named by EC2's operation, in
 * {@code awscni_aws_api_latency_ms{api,error,status}} (status: the HTTP status, or EC2's error code on failure, as
 * upstream), {@code awscni_aws_api_error_count{api,error}} (error: EC2's error code), {@code awscni_ec2api_req_count{fn}}
 * and {@code awscni_ec2api_error_count{fn}}. IMDS reads are {@code api="GetMetadata"} in the first two, as upstream.
 */
public final class AwsApiMetrics implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("awscni.started");

    private final MeterRegistry registry;

    public AwsApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        var api = api(attributes);
        latency(api, false, String.valueOf(context.httpResponse().statusCode()), elapsed(attributes));
        requests(api);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        var api = api(attributes);
        var code = errorCode(context.exception());
        latency(api, true, code, elapsed(attributes));
        requests(api);
        Counter.builder("awscni_ec2api_error_count").tag("fn", api)
                .description("EC2 calls that failed").register(registry).increment();
        apiError(api, code);
    }

    /** One IMDS read: {@code error} is null when it was answered (any status), else what kept it from an answer. */
    public void metadataRead(int status, String error, long nanos) {
        latency("GetMetadata", error != null || status >= 400, error != null ? error : String.valueOf(status), nanos);
        if (error != null || status >= 400 && status != 404) {
            apiError("GetMetadata", error != null ? error : "HTTP" + status);
        }
    }

    private void apiError(String api, String code) {
        Counter.builder("awscni_aws_api_error_count").tag("api", api).tag("error", code)
                .description("AWS calls that failed, by the service's error code").register(registry).increment();
    }

    /** EC2's own error code where it answered (e.g. RequestLimitExceeded), else what kept the call from an answer. */
    static String errorCode(Throwable failure) {
        if (failure instanceof AwsServiceException e && e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
            return e.awsErrorDetails().errorCode();
        }
        return failure.getClass().getSimpleName();
    }

    private void requests(String api) {
        Counter.builder("awscni_ec2api_req_count").tag("fn", api)
                .description("EC2 calls made").register(registry).increment();
    }

    private static long elapsed(ExecutionAttributes attributes) {
        var started = attributes.getAttribute(STARTED);
        return started == null ? 0 : System.nanoTime() - started;
    }

    private void latency(String api, boolean error, String status, long nanos) {
        DistributionSummary.builder("awscni_aws_api_latency_ms").tags("api", api, "error", String.valueOf(error), "status", status)
                .description("AWS call latency in milliseconds, retries included").register(registry)
                .record(nanos / 1e6);
    }

    private static String api(ExecutionAttributes attributes) {
        var name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return name == null ? "unknown" : name;
    }
}
