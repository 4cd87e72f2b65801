package io.vpccni.simcloud;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** Test-side EC2 client: plain form posts with a SigV4-shaped Authorization header, answers read with XPath. */
final class Ec2TestClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI endpoint;
    private final String accessKey;

    Ec2TestClient(URI endpoint, String accessKey) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
    }

    record Answer(int status, String body, Document xml) {
        String text(String xpath) {
            try {
                return (String) XPathFactory.newInstance().newXPath().evaluate(xpath, xml, XPathConstants.STRING);
            } catch (Exception e) {
                throw new AssertionError("bad xpath " + xpath, e);
            }
        }

        List<String> texts(String xpath) {
            try {
                var nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, xml, XPathConstants.NODESET);
                var out = new ArrayList<String>();
                for (int i = 0; i < nodes.getLength(); i++) out.add(nodes.item(i).getTextContent());
                return out;
            } catch (Exception e) {
                throw new AssertionError("bad xpath " + xpath, e);
            }
        }

        String errorCode() {
            return text("/Response/Errors/Error/Code");
        }
    }

    /** {@code params} alternate name, value; Version is added. */
    Answer call(String action, String... params) {
        return call(action, Duration.ofSeconds(10), params);
    }

    Answer call(String action, Duration timeout, String... params) {
        var form = new LinkedHashMap<String, String>();
        form.put("Action", action);
        form.put("Version", "2016-11-15");
        for (int i = 0; i < params.length; i += 2) form.put(params[i], params[i + 1]);
        var request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey
                        + "/20250101/us-west-2/ec2/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), parse(response.body()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Success or fail: tests read errors through {@link Answer#errorCode()}. */
    Answer ok(String action, String... params) {
        var answer = call(action, params);
        if (answer.status() != 200) throw new AssertionError(action + " failed: " + answer.status() + " " + answer.body());
        return answer;
    }

    private static String encode(Map<String, String> form) {
        var sb = new StringBuilder();
        form.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    /** Namespace-unaware, so XPath can use bare EC2 element names. */
    private static Document parse(String body) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("answer is not XML: " + body, e);
        }
    }
}
