package io.vpccni.ipamd.observe;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.nio.charset.StandardCharsets;

/**
 * The daemon's JSON log line with {@link SecretMasking} applied to all of it: message, MDC and exceptions alike,
 * whichever library logged them. The line's fields are chosen here, not in logback.xml, so that stdout and the
 * log file ({@link DaemonLogging}) write exactly the same lines: the formatted message, no sequence number, no
 * nanoseconds, no context and no raw arguments (an argument may be a credential the message never shows).
 */
public class MaskingJsonEncoder extends JsonEncoder {
    public MaskingJsonEncoder() {
        setWithSequenceNumber(false);
        setWithNanoseconds(false);
        setWithContext(false);
        setWithArguments(false);
        setWithMessage(false);
        setWithFormattedMessage(true);
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        var line = new String(super.encode(event), StandardCharsets.UTF_8);
        return SecretMasking.mask(line).getBytes(StandardCharsets.UTF_8);
    }
}
