package io.vpccni.ipamd.observe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SecretMaskingTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // as logged                                                       | as written
            "x-amz-security-token:IQoJb3JpZ2lu/////wEaCX==\\nhost:x                | x-amz-security-token:****\\nhost:x",
            "x-amz-security-token:IQoJb3JpZ2lu\\/\\/\\/wEaCX==\\n                 | x-amz-security-token:****\\n",
            "X-Amz-Security-Token: IQoJb3JpZ2lu+abc=                               | X-Amz-Security-Token: ****",
            "?X-Amz-Signature=0a1b2c3d&X-Amz-Date=20260101T000000Z                 | ?X-Amz-Signature=****&X-Amz-Date=20260101T000000Z",
            "Authorization: AWS4-HMAC-SHA256 Credential=ASIAX/2026/us-west-2/ec2/aws4_request, SignedHeaders=host, Signature=9f8e | Authorization: AWS4-HMAC-SHA256 ****, SignedHeaders=host, Signature=****",
            "Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln                        | Authorization: Bearer ****",
            "aws_session_token = FwoGZXIvYXdzE                                     | aws_session_token = ****",
            "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY          | aws_secret_access_key=****",
            "`{\\\"AccessKeyId\\\":\\\"ASIAX\\\",\\\"SecretAccessKey\\\":\\\"wJalr\\/K7\\\",\\\"Token\\\":\\\"IQo\\/J\\\"}` | `{\\\"AccessKeyId\\\":\\\"ASIAX\\\",\\\"SecretAccessKey\\\":\\\"****\\\",\\\"Token\\\":\\\"****\\\"}`",
            "`{\"SecretAccessKey\": \"wJalr/K7\", \"SessionToken\": \"IQo\"}`       | `{\"SecretAccessKey\": \"****\", \"SessionToken\": \"****\"}`",
            "<SecretAccessKey>wJalr/K7</SecretAccessKey><SessionToken>IQo+/=</SessionToken> | <SecretAccessKey>****</SecretAccessKey><SessionToken>****</SessionToken>",
            "X-aws-ec2-metadata-token: AQAEAFmQ== and X-aws-ec2-metadata-token-ttl-seconds: 21600 | X-aws-ec2-metadata-token: **** and X-aws-ec2-metadata-token-ttl-seconds: 21600",
            "assigned 10.0.0.5 to eni-0abc (pod default/web)                       | assigned 10.0.0.5 to eni-0abc (pod default/web)",
            "Request attempt 1 token acquired (backoff: 0ms, cost: 0)              | Request attempt 1 token acquired (backoff: 0ms, cost: 0)"})
    void credentialsAreMaskedAndNothingElse(String logged, String written) {
        assertEquals(written.strip(), SecretMasking.mask(logged.strip()));
    }
}
