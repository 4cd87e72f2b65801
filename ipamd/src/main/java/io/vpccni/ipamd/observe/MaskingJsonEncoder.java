package io.vpccni.ipamd.observe;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.nio.charset.StandardCharsets;

/**
 * The daemon's JSON log line with {@link SecretMasking} applied to all of it: message, MDC and exceptions alike,
 * whichever library logged them.
 */
public class MaskingJsonEncoder extends JsonEncoder {
    @Override
    public byte[] encode(ILoggingEvent event) {
        var line = new String(super.encode(event), StandardCharsets.UTF_8);
        return SecretMasking.mask(line).getBytes(StandardCharsets.UTF_8);
    }
}
