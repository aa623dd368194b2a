package dev.mrkenvelope.kmslocal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wire details the SDK hides: raw awsJson1.1 requests over HttpURLConnection, checking
 * statuses, headers and body shapes against the KMS JSON protocol. (Behaviour is tested through the
 * SDK in the other test classes.)
 */
class WireProtocolTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static LocalKms kms;

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions("us-east-1").start();
  }

  @AfterAll
  static void stop() {
    kms.close();
  }

  static final class Reply {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final String body;

    Reply(HttpURLConnection c) throws IOException {
      status = c.getResponseCode();
      c.getHeaderFields()
          .forEach(
              (k, v) -> {
                if (k != null) {
                  headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0));
                }
              });
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  static Reply post(String path, String target, String body, boolean signed) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) new URL(kms.endpoint("us-east-1") + path).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    if (target != null) {
      c.setRequestProperty("X-Amz-Target", target);
    }
    c.setRequestProperty("Content-Type", "application/x-amz-json-1.1");
    if (signed) {
      c.setRequestProperty(
          "Authorization",
          "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00");
    }
    try (OutputStream os = c.getOutputStream()) {
      os.write(body.getBytes(StandardCharsets.UTF_8));
    }
    return new Reply(c);
  }

  static Reply call(String op, String body) throws IOException {
    return post("/", "TrentService." + op, body, true);
  }

  @Test
  void success_isJson11WithEpochSecondDecimals() throws IOException {
    Reply r = call("CreateKey", "{}");
    assertThat(r.status).isEqualTo(200);
    assertThat(r.headers.get("content-type")).isEqualTo("application/x-amz-json-1.1");
    assertThat(r.headers).containsKey("x-amzn-requestid");
    assertThat(r.json().get("KeyMetadata").get("CreationDate").isNumber()).isTrue();
    // On the wire, not as a parser re-prints it: a plain decimal, never 1.7E9 or an ISO string.
    assertThat(r.body).containsPattern("\"CreationDate\":\\d{10}(\\.\\d{1,3})?[,}]");
  }

  @Test
  void operationWithoutOutput_answersEmptyObject() throws IOException {
    String id = kms.createKey("us-east-1");
    Reply r = call("DisableKey", "{\"KeyId\":\"" + id + "\"}");
    assertThat(r.status).isEqualTo(200);
    assertThat(r.body).isEqualTo("{}");
  }

  @Test
  void error_hasTypeHeaderAndTypeMessageBody() throws IOException {
    Reply r = call("DescribeKey", "{\"KeyId\":\"alias/missing\"}");
    assertThat(r.status).isEqualTo(400);
    assertThat(r.headers.get("x-amzn-errortype")).isEqualTo("NotFoundException");
    assertThat(r.headers.get("content-type")).isEqualTo("application/x-amz-json-1.1");
    assertThat(r.json().get("__type").asText()).isEqualTo("NotFoundException");
    assertThat(r.json().get("message").asText()).contains("alias/missing");
  }

  @Test
  void invalidCiphertext_hasNoMessage_likeRealKms() throws IOException {
    Reply r = call("Decrypt", "{\"CiphertextBlob\":\"AAAA\"}");
    assertThat(r.status).isEqualTo(400);
    assertThat(r.json().get("__type").asText()).isEqualTo("InvalidCiphertextException");
    assertThat(r.json().has("message")).isFalse();
  }

  @Test
  void missingRequiredMember_isValidationExceptionNamingIt() throws IOException {
    Reply r = call("Encrypt", "{\"Plaintext\":\"AAAA\"}");
    assertThat(r.status).isEqualTo(400);
    assertThat(r.json().get("__type").asText()).isEqualTo("ValidationException");
    assertThat(r.json().get("message").asText()).contains("keyId").contains("must not be null");
  }

  @Test
  void unsignedRequest_isRejected() throws IOException {
    Reply r = post("/", "TrentService.ListKeys", "{}", false);
    assertThat(r.status).isEqualTo(400);
    assertThat(r.json().get("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
  }

  @Test
  void unknownOrMissingTarget_isUnknownOperation() throws IOException {
    assertThat(call("LaunchRocket", "{}").json().get("__type").asText())
        .isEqualTo("UnknownOperationException");
    Reply r = post("/", null, "{}", true);
    assertThat(r.status).isEqualTo(400);
    assertThat(r.json().get("__type").asText()).isEqualTo("UnknownOperationException");
    assertThat(kms.requestCount("us-east-1", "Unknown")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void malformedJsonOrWrongMemberType_isSerializationException() throws IOException {
    assertThat(call("ListKeys", "{oops").json().get("__type").asText())
        .isEqualTo("SerializationException");
    assertThat(call("ListKeys", "{\"Limit\":\"ten\"}").json().get("__type").asText())
        .isEqualTo("SerializationException");
  }

  @Test
  void pathPrefix_isAccepted() throws IOException {
    assertThat(post("/us-east-1/", "TrentService.ListKeys", "{}", true).status).isEqualTo(200);
  }

  @Test
  void injectedServerFault_is5xxWithTheSameShape() throws IOException {
    kms.faults("us-east-1").operation("ListKeys").error("DependencyTimeoutException", 1.0);
    try {
      Reply r = call("ListKeys", "{}");
      assertThat(r.status).isEqualTo(503);
      assertThat(r.headers.get("x-amzn-errortype")).isEqualTo("DependencyTimeoutException");
      assertThat(r.json().get("__type").asText()).isEqualTo("DependencyTimeoutException");
    } finally {
      kms.faults("us-east-1").heal();
    }
  }
}
