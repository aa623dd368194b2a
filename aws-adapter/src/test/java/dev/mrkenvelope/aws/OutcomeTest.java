package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.KmsException;

class OutcomeTest {
  static KmsException kms(String code, int status) {
    return (KmsException)
        KmsException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
            .build();
  }

  Outcome of(Throwable t) {
    return Outcome.classify(t).outcome;
  }

  @Test
  void serviceErrors_classifiedPerDesignTable() {
    assertThat(of(kms("ThrottlingException", 400))).isEqualTo(Outcome.THROTTLED);
    assertThat(of(kms("KMSInternalException", 500))).isEqualTo(Outcome.SERVER_ERROR);
    assertThat(of(kms("KeyUnavailableException", 500))).isEqualTo(Outcome.SERVER_ERROR);
    assertThat(of(kms("DependencyTimeoutException", 503))).isEqualTo(Outcome.SERVER_ERROR);
    assertThat(of(kms(null, 502))).isEqualTo(Outcome.SERVER_ERROR);
    assertThat(of(kms("DisabledException", 400))).isEqualTo(Outcome.KEY_STATE);
    assertThat(of(kms("KMSInvalidStateException", 400))).isEqualTo(Outcome.KEY_STATE);
    assertThat(of(kms("NotFoundException", 400))).isEqualTo(Outcome.NOT_FOUND);
    assertThat(of(kms("AccessDeniedException", 400))).isEqualTo(Outcome.ACCESS_DENIED);
    assertThat(of(kms("InvalidCiphertextException", 400))).isEqualTo(Outcome.FAIL_FAST);
    assertThat(of(kms("IncorrectKeyException", 400))).isEqualTo(Outcome.FAIL_FAST);
    assertThat(of(kms("InvalidKeyUsageException", 400))).isEqualTo(Outcome.FAIL_FAST);
    assertThat(of(kms("UnrecognizedClientException", 400))).isEqualTo(Outcome.FAIL_FAST);
  }

  @Test
  void clientSideErrors_areTransportOrTimeout() {
    assertThat(of(SdkClientException.create("x", new ConnectException("refused"))))
        .isEqualTo(Outcome.TRANSPORT);
    assertThat(of(SdkClientException.create("x", new SocketTimeoutException("read"))))
        .isEqualTo(Outcome.TIMEOUT);
    assertThat(of(ApiCallAttemptTimeoutException.create(250))).isEqualTo(Outcome.TIMEOUT);
    assertThat(of(new RejectedResponseException("KeyId"))).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void failFastAndBreakerRules_matchAnchorsE5() {
    assertThat(Outcome.ACCESS_DENIED.failsFast(false)).isTrue();
    assertThat(Outcome.ACCESS_DENIED.failsFast(true)).isFalse();
    assertThat(Outcome.FAIL_FAST.failsFast(true)).isTrue();
    assertThat(Outcome.KEY_STATE.failsFast(false)).isFalse();
    assertThat(Outcome.NOT_FOUND.failsFast(false)).isFalse();
    assertThat(Outcome.THROTTLED.countsTowardBreaker()).isTrue();
    assertThat(Outcome.SERVER_ERROR.countsTowardBreaker()).isTrue();
    assertThat(Outcome.TRANSPORT.countsTowardBreaker()).isTrue();
    assertThat(Outcome.TIMEOUT.countsTowardBreaker()).isTrue();
    assertThat(Outcome.KEY_STATE.countsTowardBreaker()).isFalse();
    assertThat(Outcome.ACCESS_DENIED.countsTowardBreaker()).isFalse();
  }
}
