package io.vpccni.ipamd.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.stream.Collectors;

/**
 * The introspection contract's JSON as records. The daemon always sends every field, so a missing or null one
 * means the doctor is reading something else (another daemon, an older build, a proxy's error page) and the
 * whole answer is refused with the path of the first bad field; unknown fields are ignored, so the contract can grow.
 */
final class IntrospectionJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private IntrospectionJson() {
    }

    /** Why a body is not the contract's JSON. */
    static final class Unexpected extends Exception {
        Unexpected(String message) {
            super(message);
        }
    }

    static PodsView pods(String body) throws Unexpected {
        return read(body, PodsView.class);
    }

    static GuardView guard(String body) throws Unexpected {
        return read(body, GuardView.class);
    }

    private static <T> T read(String body, Class<T> type) throws Unexpected {
        if (body.isBlank()) {
            throw new Unexpected("the body is empty");
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (JsonMappingException e) {
            var path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            // Jackson's own wording, less its pointers into its configuration.
            var what = firstLine(e.getOriginalMessage()).replaceAll(" \\(index \\d+\\)", "").replaceAll(";? *`DeserializationFeature.*$", "");
            throw new Unexpected((path.isEmpty() ? "" : path + ": ") + what);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new Unexpected("it is not JSON: " + firstLine(e.getOriginalMessage())
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
