package io.vpccni.ipamd.observe;

import java.util.regex.Pattern;

/**
 * Masks credentials in text about to be logged: AWS secret keys, STS session tokens, SigV4 signatures, IMDSv2
 * tokens and Authorization values, wherever they appear as {@code key: value}, {@code key=value}, a JSON member
 * or an XML element (the shapes HTTP headers, canonical requests, query strings, credential files and EC2/STS
 * bodies take).
 *
 * <p>A second line of defence: the logging configuration already keeps the SDK's request and signing logs out.
 * It works on text as written to the log, where JSON escapes a slash as {@code \/} and a quote as {@code \"},
 * so it accepts those too. Over-masking costs nothing; a token that slipped through would be a credential leak.
 */
public final class SecretMasking {
    public static final String MASK = "****";

    private static final Pattern KEYED = Pattern.compile(
            "(?i)((?:x-amz-security-token|x-amz-signature|x-aws-ec2-metadata-token|aws_session_token|aws_secret_access_key"
                    + "|secret_?access_?key|session_?token|signature|authorization|token|password)"
                    + "(?:\\\\?\")?\\s*[:=]\\s*(?:\\\\?\")?(?:(?:AWS4-HMAC-SHA256|Bearer|Basic)\\s+)?)"
                    + "(?:[A-Za-z0-9+=%_.~-]|\\\\?/)+");
    private static final Pattern XML = Pattern.compile("(?i)(<(?:SecretAccessKey|SessionToken|Token)>)[^<]*(</)");

    private SecretMasking() {
    }

    public static String mask(String text) {
        var masked = KEYED.matcher(text).replaceAll("$1" + MASK);
        return XML.matcher(masked).replaceAll("$1" + MASK + "$2");
    }
}
