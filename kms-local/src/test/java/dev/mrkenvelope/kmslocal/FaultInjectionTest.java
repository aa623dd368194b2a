package dev.mrkenvelope.kmslocal;

import static dev.mrkenvelope.kmslocal.SdkClients.code;
import static dev.mrkenvelope.kmslocal.SdkClients.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DependencyTimeoutException;
import software.amazon.awssdk.services.kms.model.KeyUnavailableException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInternalException;

class FaultInjectionTest {
  static final String EAST = "us-east-1";
  static final String WEST = "us-west-1";
  static LocalKms kms;
  static KmsClient east;
  static KmsClient west;
  static KmsClient eastFast;
  static String keyId;
  static SdkBytes blob;

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(EAST, WEST).start();
    east = SdkClients.noRetries(kms, EAST);
    west = SdkClients.noRetries(kms, WEST);
    eastFast = SdkClients.withTimeout(kms, EAST, Duration.ofMillis(300));
    keyId = kms.createMultiRegionKey(EAST, WEST);
    blob =
        east.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))).ciphertextBlob();
  }

  @AfterEach
  void heal() {
    kms.faults(EAST).heal();
    kms.faults(WEST).heal();
    kms.resetRequestCounts();
  }

  @AfterAll
  static void stop() {
    east.close();
    west.close();
    eastFast.close();
    kms.close();
  }

  static String decrypt(KmsClient c) {
    return c.decrypt(b -> b.ciphertextBlob(blob)).plaintext().asUtf8String();
  }

  static long millis(ThrowingCallable call) {
    long t0 = System.nanoTime();
    try {
      call.call();
    } catch (Throwable t) {
      // timing only; outcomes are asserted separately
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void outage_refusesConnections_andHealRebindsTheSamePort() {
    var endpoint = kms.endpoint(EAST);
    kms.faults(EAST).outage();
    assertThatThrownBy(() -> decrypt(east))
        .isInstanceOf(SdkClientException.class)
        .hasRootCauseInstanceOf(ConnectException.class);
    assertThat(decrypt(west)).isEqualTo("x");
    assertThat(kms.requestCount(EAST, "Decrypt")).isZero(); // refused requests never arrive

    kms.faults(EAST).heal();
    assertThat(kms.endpoint(EAST)).isEqualTo(endpoint);
    assertThat(decrypt(east)).isEqualTo("x");
  }

  @Test
  void outage_onAnOperationView_isRejectedWithTheFix() {
    assertThatThrownBy(() -> kms.faults(EAST).operation("Decrypt").outage())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kms.faults(\"us-east-1\").outage()");
  }

  @Test
  void blackhole_acceptsButNeverAnswers_untilHeal() {
    kms.faults(EAST).blackhole();
    assertThatThrownBy(() -> decrypt(eastFast)).isInstanceOf(ApiCallAttemptTimeoutException.class);
    assertThat(kms.requestCount(EAST, "Decrypt")).isEqualTo(1);
    kms.faults(EAST).heal();
    assertThat(decrypt(eastFast)).isEqualTo("x");
  }

  @Test
  void heal_dropsHeldRequests_soWaitingClientsFailAtOnce() throws Exception {
    kms.faults(EAST).blackhole();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (KmsClient patient = SdkClients.withTimeout(kms, EAST, Duration.ofSeconds(20))) {
      Future<Long> waited = pool.submit(() -> millis(() -> decrypt(patient)));
      while (kms.requestCount(EAST, "Decrypt") == 0) {
        Thread.sleep(5);
      }
      kms.faults(EAST).heal();
      // The held connection is closed on heal, so the client fails long before its 20 s timeout.
      assertThat(waited.get()).isLessThan(10_000L);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void blackhole_manyHungRequests_holdNoWorkerThreads() throws Exception {
    kms.faults(EAST).operation("Decrypt").blackhole();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> hung = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        hung.add(pool.submit(() -> millis(() -> decrypt(eastFast))));
      }
      for (Future<?> f : hung) {
        f.get();
      }
      // 32 unanswered requests outnumber the worker pool, yet other operations still answer.
      assertThat(kms.requestCount(EAST, "Decrypt")).isEqualTo(32);
      assertThat(east.describeKey(b -> b.keyId(keyId)).keyMetadata().keyId()).isEqualTo(keyId);
      kms.faults(EAST).operation("Decrypt").heal();
      assertThat(decrypt(eastFast)).isEqualTo("x");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void latency_fixedAndJitter_delayAnswers() {
    decrypt(east); // warm the connection
    kms.faults(EAST).latency(Duration.ofMillis(80));
    assertThat(millis(() -> decrypt(east))).isGreaterThanOrEqualTo(80);
    kms.faults(EAST).latency(Duration.ofMillis(50), Duration.ofMillis(50));
    for (int i = 0; i < 5; i++) {
      assertThat(millis(() -> decrypt(east))).isBetween(50L, 1000L);
    }
    kms.faults(EAST).latency(Duration.ofMillis(500));
    assertThatThrownBy(() -> decrypt(eastFast)).isInstanceOf(ApiCallAttemptTimeoutException.class);
  }

  @Test
  void throttle_probability_throttlesAboutThatShare() {
    kms.faults(EAST).throttle(0.3);
    int throttled = 0;
    for (int i = 0; i < 200; i++) {
      try {
        decrypt(east);
      } catch (KmsException e) {
        assertThat(e.isThrottlingException()).isTrue();
        assertThat(code(e)).isEqualTo("ThrottlingException");
        assertThat(e.statusCode()).isEqualTo(400);
        throttled++;
      }
    }
    assertThat(throttled).isBetween(28, 92); // mean 60, about five standard deviations either way
    assertThat(kms.requestCount(EAST, "Decrypt")).isEqualTo(200);
  }

  @Test
  void perOperationFaults_leaveOtherOperationsAlone() {
    kms.faults(EAST).operation("Decrypt").throttle(1.0);
    assertThatThrownBy(() -> decrypt(east))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ThrottlingException"));
    assertThat(east.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("y"))).keyId())
        .isNotNull();
    assertThat(decrypt(west)).isEqualTo("x");

    kms.faults(EAST).operation("Decrypt").heal();
    assertThat(decrypt(east)).isEqualTo("x");
  }

  @Test
  void errors_useTheStatusRealKmsSends() {
    kms.faults(EAST).error("KMSInternalException", 1.0);
    assertThatThrownBy(() -> decrypt(east))
        .isInstanceOf(KmsInternalException.class)
        .satisfies(t -> assertThat(status(t)).isEqualTo(500));
    kms.faults(EAST).error("KeyUnavailableException", 1.0);
    assertThatThrownBy(() -> decrypt(east))
        .isInstanceOf(KeyUnavailableException.class)
        .satisfies(t -> assertThat(status(t)).isEqualTo(500));
    kms.faults(EAST).error("DependencyTimeoutException", 1.0);
    assertThatThrownBy(() -> decrypt(east))
        .isInstanceOf(DependencyTimeoutException.class)
        .satisfies(t -> assertThat(status(t)).isEqualTo(503));
    kms.faults(EAST).error("AccessDeniedException", 1.0);
    assertThatThrownBy(() -> decrypt(east))
        .satisfies(t -> assertThat(code(t)).isEqualTo("AccessDeniedException"))
        .satisfies(t -> assertThat(status(t)).isEqualTo(400));
    kms.faults(EAST).error("BadGateway", 502, 1.0);
    assertThatThrownBy(() -> decrypt(east)).satisfies(t -> assertThat(status(t)).isEqualTo(502));
    kms.faults(EAST).error("KMSInternalException", 0.0);
    assertThat(decrypt(east)).isEqualTo("x");
  }

  @Test
  void serverErrors_areRetriedBySdk_andEveryAttemptIsCounted() {
    try (KmsClient retrying = SdkClients.standardRetries(kms, EAST)) {
      kms.faults(EAST).operation("Decrypt").error("KMSInternalException", 1.0);
      assertThatThrownBy(() -> decrypt(retrying)).isInstanceOf(KmsInternalException.class);
      assertThat(kms.requestCount(EAST, "Decrypt")).isEqualTo(3);

      kms.resetRequestCounts();
      kms.faults(EAST).operation("Decrypt").heal().error("InvalidCiphertextException", 1.0);
      assertThatThrownBy(() -> decrypt(retrying))
          .satisfies(t -> assertThat(code(t)).isEqualTo("InvalidCiphertextException"));
      assertThat(kms.requestCount(EAST, "Decrypt")).isEqualTo(1); // 400s are final
    }
  }

  @Test
  void faultsCombine_latencyThenError() {
    kms.faults(EAST).latency(Duration.ofMillis(60)).error("KMSInternalException", 1.0);
    assertThat(millis(() -> decrypt(east))).isGreaterThanOrEqualTo(60);
    assertThatThrownBy(() -> decrypt(east)).isInstanceOf(KmsInternalException.class);
  }

  @Test
  void requestCounts_perRegionAndOperation() {
    decrypt(east);
    decrypt(east);
    east.describeKey(b -> b.keyId(keyId));
    decrypt(west);
    assertThat(kms.requestCount(EAST, "Decrypt")).isEqualTo(2);
    assertThat(kms.requestCount(EAST, "DescribeKey")).isEqualTo(1);
    assertThat(kms.requestCount(EAST)).isEqualTo(3);
    assertThat(kms.requestCount(WEST, "Decrypt")).isEqualTo(1);
    assertThat(kms.requestCounts(EAST))
        .containsEntry("Decrypt", 2L)
        .containsEntry("DescribeKey", 1L);
  }

  @Test
  void faultsApi_rejectsBadArgumentsWithTheFix() {
    assertThatThrownBy(() -> kms.faults(EAST).throttle(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> kms.faults(EAST).operation("Decypt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Decrypt");
    assertThatThrownBy(() -> kms.faults("mars-north-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(EAST);
    assertThatThrownBy(() -> kms.faults(EAST).latency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> kms.faults(EAST).error("Bad Code", 1.0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
