package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.KmsException;

class FailureClassifierTest {
  static KmsException kms(String code, int status) {
    return (KmsException)
        KmsException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  AttemptOutcome of(Throwable t) {
    return FailureClassifier.classify(t).outcome;
  }

  @Test
  void serviceErrors_classifiedPerDesignTable() {
    assertThat(of(kms("ThrottlingException", 400))).isEqualTo(AttemptOutcome.THROTTLED);
    assertThat(of(kms("KMSInternalException", 500))).isEqualTo(AttemptOutcome.SERVER_ERROR);
    assertThat(of(kms("KeyUnavailableException", 500))).isEqualTo(AttemptOutcome.SERVER_ERROR);
    assertThat(of(kms("DependencyTimeoutException", 503))).isEqualTo(AttemptOutcome.SERVER_ERROR);
    assertThat(of(kms(null, 502))).isEqualTo(AttemptOutcome.SERVER_ERROR);
    assertThat(of(kms("DisabledException", 400))).isEqualTo(AttemptOutcome.KEY_STATE);
    assertThat(of(kms("KMSInvalidStateException", 400))).isEqualTo(AttemptOutcome.KEY_STATE);
    assertThat(of(kms("NotFoundException", 400))).isEqualTo(AttemptOutcome.NOT_FOUND);
    assertThat(of(kms("AccessDeniedException", 400))).isEqualTo(AttemptOutcome.ACCESS_DENIED);
    assertThat(of(kms("InvalidCiphertextException", 400)))
        .isEqualTo(AttemptOutcome.INVALID_REQUEST);
    assertThat(of(kms("IncorrectKeyException", 400))).isEqualTo(AttemptOutcome.INVALID_REQUEST);
    assertThat(of(kms("InvalidKeyUsageException", 400))).isEqualTo(AttemptOutcome.INVALID_REQUEST);
    assertThat(of(kms("ValidationException", 400))).isEqualTo(AttemptOutcome.INVALID_REQUEST);
    assertThat(of(kms("UnrecognizedClientException", 400))).isEqualTo(AttemptOutcome.CREDENTIALS);
    assertThat(of(kms("ExpiredTokenException", 400))).isEqualTo(AttemptOutcome.CREDENTIALS);
  }

  @Test
  void clientSideErrors_areTransportOrTimeout() {
    assertThat(of(SdkClientException.create("x", new ConnectException("refused"))))
        .isEqualTo(AttemptOutcome.TRANSPORT);
    assertThat(of(SdkClientException.create("x", new SocketTimeoutException("read"))))
        .isEqualTo(AttemptOutcome.TIMEOUT);
    assertThat(of(ApiCallAttemptTimeoutException.create(250))).isEqualTo(AttemptOutcome.TIMEOUT);
    assertThat(of(new RejectedResponseException("KeyId")))
        .isEqualTo(AttemptOutcome.REJECTED_RESPONSE);
  }

  @Test
  void credentialChainFailure_isCredentials_notTransport() {
    assertThat(
            of(SdkClientException.create("Unable to load credentials from any of the providers")))
        .isEqualTo(AttemptOutcome.CREDENTIALS);
    assertThat(AttemptOutcome.CREDENTIALS.isTransient()).isFalse();
    assertThat(AttemptOutcome.CREDENTIALS.countsTowardBreaker()).isFalse();
  }

  @Test
  void failFastAndBreakerRules_matchTheTable() {
    FailureClassifier.Rules defaults = new FailureClassifier.Rules(false, true);
    FailureClassifier.Rules optIns = new FailureClassifier.Rules(true, false);
    assertThat(defaults.failsFast(AttemptOutcome.ACCESS_DENIED)).isTrue();
    assertThat(optIns.failsFast(AttemptOutcome.ACCESS_DENIED)).isFalse();
    assertThat(defaults.failsFast(AttemptOutcome.KEY_STATE)).isFalse();
    assertThat(optIns.failsFast(AttemptOutcome.KEY_STATE)).isTrue();
    assertThat(optIns.failsFast(AttemptOutcome.INVALID_REQUEST)).isTrue();
    assertThat(optIns.failsFast(AttemptOutcome.CREDENTIALS)).isTrue();
    assertThat(defaults.failsFast(AttemptOutcome.NOT_FOUND)).isFalse();
    assertThat(defaults.failsFast(AttemptOutcome.TIMEOUT)).isFalse();
    for (AttemptOutcome o : AttemptOutcome.values()) {
      boolean counts =
          o == AttemptOutcome.THROTTLED
              || o == AttemptOutcome.SERVER_ERROR
              || o == AttemptOutcome.TRANSPORT
              || o == AttemptOutcome.TIMEOUT;
      assertThat(o.countsTowardBreaker()).as(o.toString()).isEqualTo(counts);
    }
  }

  @Test
  void untrustedText_controlCharactersEscaped_longTextCut() {
    assertThat(Untrusted.escape("a\nb\rc\u0000d\u2028")).isEqualTo("a\\nb\\rc\\u0000d\\u2028");
    String longText = "x".repeat(10_000);
    assertThat(Untrusted.escape(longText)).hasSizeLessThan(400).endsWith("...(10000 chars)");
  }
}
