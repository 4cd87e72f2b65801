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
 * Upstream's EC2 call metrics, observed where every call passes: the SDK's interceptor chain. One observation per
 * call as the daemon makes it (the SDK's retries inside), named by EC2's operation:
 * {@code awscni_aws_api_latency_ms{api,error,status}}, {@code awscni_aws_api_error_count{api,error}} (error = EC2's
 * error code), {@code awscni_ec2api_req_count{fn}} and {@code awscni_ec2api_error_count{fn}}.
 */
public final class Ec2CallMetrics implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("awscni.started");

    private final MeterRegistry registry;

    public Ec2CallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        var api = api(attributes);
        latency(api, false, String.valueOf(context.httpResponse().statusCode()), attributes);
        requests(api);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        var api = api(attributes);
        var status = context.httpResponse().map(r -> String.valueOf(r.statusCode())).orElse("");
        latency(api, true, status, attributes);
        requests(api);
        Counter.builder("awscni_ec2api_error_count").tag("fn", api)
                .description("EC2 calls that failed").register(registry).increment();
        Counter.builder("awscni_aws_api_error_count").tag("api", api).tag("error", errorCode(context.exception()))
                .description("EC2 calls that failed, by EC2's error code").register(registry).increment();
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

    private void latency(String api, boolean error, String status, ExecutionAttributes attributes) {
        var started = attributes.getAttribute(STARTED);
        if (started == null) {
            return;
        }
        DistributionSummary.builder("awscni_aws_api_latency_ms").tags("api", api, "error", String.valueOf(error), "status", status)
                .description("EC2 call latency in milliseconds, retries included").register(registry)
                .record((System.nanoTime() - started) / 1e6);
    }

    private static String api(ExecutionAttributes attributes) {
        var name = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return name == null ? "unknown" : name;
    }
}
