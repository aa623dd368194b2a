package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Router configuration, latency routing, timeouts, metrics and lifecycle. */
class KmsRouterTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final String C = "ap-southeast-1";
  static final byte[] PLAINTEXT = "router".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(A, B, C).replicaCreation(Duration.ZERO).build();

  static EnvelopeClient client(KmsRouter router, String keyArn) {
    return EnvelopeClient.builder()
        .keyring(AwsKmsMrkKeyring.builder().keyArn(keyArn).router(router).build())
        .build();
  }

  @Test
  void builderMisuse_namesSettingValueAndFix() {
    assertThatThrownBy(() -> KmsRouter.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regions(...)");
    assertThatThrownBy(() -> KmsRouter.builder().regions("us-east-1", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not repeat");
    assertThatThrownBy(() -> KmsRouter.builder().regions("US_EAST_1"))
        .hasMessageContaining("'US_EAST_1' is not an AWS Region name");
    assertThatThrownBy(() -> KmsRouter.builder().regions(List.of()))
        .hasMessageContaining("at least one Region");
    assertThatThrownBy(() -> KmsRouter.builder().attemptTimeout(Duration.ZERO))
        .hasMessageContaining("attemptTimeout must be positive: PT0S");
    assertThatThrownBy(() -> KmsRouter.builder().breakerThreshold(0))
        .hasMessageContaining("breakerThreshold must be at least 1");
    assertThatThrownBy(
            () ->
                KmsRouter.builder()
                    .regions(A)
                    .attemptTimeout(Duration.ofSeconds(2))
                    .callTimeout(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("callTimeout (PT1S) must be at least attemptTimeout (PT2S)");
    assertThatThrownBy(
            () ->
                KmsRouter.builder()
                    .regions(A)
                    .attemptTimeout(Duration.ofMillis(100))
                    .hedgeAfter(Duration.ofMillis(100))
                    .build())
        .hasMessageContaining("hedgeAfter (PT0.1S) must be shorter than attemptTimeout");
    assertThatThrownBy(() -> AwsKmsMrkKeyring.builder().keyArn("alias/foo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a KMS key ARN");
    assertThatThrownBy(
            () ->
                AwsKmsMrkKeyring.builder().keyArn("arn:aws:kms:us-east-1:111122223333:alias/mrk-x"))
        .hasMessageContaining("not an alias");
    assertThatThrownBy(() -> AwsKmsMrkKeyring.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keyArn")
        .hasMessageContaining("router");
  }

  @Test
  void defaultClientFactory_buildsAndCloses_withoutNetwork() {
    KmsRouter router = KmsRouter.builder().regions(A, B).build();
    assertThat(router.regions()).containsExactly(A, B);
    assertThat(router.routing()).isEqualTo(RoutingPolicy.PREFERENCE_ORDER);
    assertThat(router.breakerState(A)).isEqualTo(BreakerState.CLOSED);
    assertThatThrownBy(() -> router.breakerState(C)).hasMessageContaining("not one of");
    router.close();
    router.close(); // idempotent
    KmsRouter.KeyTarget t =
        KmsRouter.target(KmsArn.parse("arn:aws:kms:us-east-1:111122223333:key/mrk-1"));
    assertThatThrownBy(() -> router.call("Decrypt", t, null, (c, arn, o) -> "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void encryptDefault_goesToTheKeysOwnRegion_andNamesTheConfiguredArn_decryptFollowsPreference() {
    // Issue: the EDK must name exactly the configured ARN, as the ESDK's MRK-aware keyring writes.
    String keyId = kms.kms().createMultiRegionKey(B, A, C);
    KmsRouter router = Routers.router(kms, A, B, C);
    EnvelopeClient c = client(router, kms.kms().keyArn(B, keyId));
    kms.kms().resetRequestCounts();
    EncryptResult e = c.encrypt(PLAINTEXT, Map.of());
    assertThat(e.encryptedDataKeys().get(0).providerInfoUtf8())
        .isEqualTo(kms.kms().keyArn(B, keyId));
    c.decrypt(e.ciphertext());
    assertThat(kms.kms().requestCount(B, "GenerateDataKey")).isEqualTo(1);
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(1); // decrypt: regions() order
    assertThat(kms.kms().requestCount(A, "GenerateDataKey") + kms.kms().requestCount(C)).isZero();
  }

  @Test
  void encryptInRouterOrder_asksThePreferredReplica_andNamesIt() {
    String keyId = kms.kms().createMultiRegionKey(B, A, C);
    KmsRouter router = Routers.router(kms, A, B, C);
    EnvelopeClient c =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(B, keyId))
                    .router(router)
                    .encryptIn(EncryptRegion.ROUTER_ORDER)
                    .build())
            .build();
    kms.kms().resetRequestCounts();
    EncryptResult e = c.encrypt(PLAINTEXT, Map.of());
    assertThat(e.encryptedDataKeys().get(0).providerInfoUtf8())
        .isEqualTo(kms.kms().keyArn(A, keyId));
    assertThat(kms.kms().requestCount(A, "GenerateDataKey")).isEqualTo(1);
    assertThat(kms.kms().requestCount(B) + kms.kms().requestCount(C)).isZero();
    assertThat(c.decrypt(e.ciphertext()).plaintext()).isEqualTo(PLAINTEXT);
  }

  @Test
  void
      encryptDefault_keyRegionFailing_failsOverInRouterOrder_keyRegionNotAllowed_usesRouterOrder() {
    String keyId = kms.kms().createMultiRegionKey(C, A, B);
    KmsRouter router = Routers.router(kms, A, B, C);
    kms.kms().faults(C).error("KMSInternalException", 1.0);
    kms.kms().resetRequestCounts();
    EncryptResult e = client(router, kms.kms().keyArn(C, keyId)).encrypt(PLAINTEXT, Map.of());
    // C first (the key's Region), then router order: A answers and its replica is named.
    assertThat(kms.kms().requestCount(C, "GenerateDataKey")).isEqualTo(1);
    assertThat(kms.kms().requestCount(A, "GenerateDataKey")).isEqualTo(1);
    assertThat(kms.kms().requestCount(B)).isZero();
    assertThat(e.encryptedDataKeys().get(0).providerInfoUtf8())
        .isEqualTo(kms.kms().keyArn(A, keyId));

    KmsRouter notC = Routers.router(kms, B, A);
    kms.kms().resetRequestCounts();
    EncryptResult e2 = client(notC, kms.kms().keyArn(C, keyId)).encrypt(PLAINTEXT, Map.of());
    assertThat(kms.kms().requestCount(B, "GenerateDataKey")).isEqualTo(1);
    assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(C)).isZero();
    assertThat(e2.encryptedDataKeys().get(0).providerInfoUtf8())
        .isEqualTo(kms.kms().keyArn(B, keyId));
  }

  @Test
  void lowestLatency_prefersFastestRegion_andProbesOthersAtMostOncePerInterval() throws Exception {
    // Latency gaps far above the noise of a loaded CI box: A +300 ms, C +150 ms, B none.
    String keyId = kms.kms().createMultiRegionKey(A, B, C);
    kms.kms().faults(A).latency(Duration.ofMillis(300));
    kms.kms().faults(C).latency(Duration.ofMillis(150));
    KmsRouter router =
        Routers.router(
            kms,
            List.of(A, B, C),
            b ->
                b.routing(RoutingPolicy.LOWEST_LATENCY)
                    .attemptTimeout(Duration.ofSeconds(2))
                    .latencyProbeInterval(Duration.ofSeconds(3)));
    EnvelopeClient c = client(router, kms.kms().keyArn(A, keyId));
    byte[] ct = c.encrypt(PLAINTEXT, Map.of()).ciphertext(); // measures A (all unmeasured: order)
    // The next calls measure the other Regions once (never-measured Regions go first).
    c.decrypt(ct);
    c.decrypt(ct);
    kms.kms().resetRequestCounts();
    for (int i = 0; i < 10; i++) {
      c.decrypt(ct);
    }
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(10);
    assertThat(kms.kms().requestCount(A, "Decrypt") + kms.kms().requestCount(C, "Decrypt"))
        .isZero();

    // Once estimates are stale, each other Region gets one probe per interval, no more.
    Thread.sleep(3100);
    kms.kms().resetRequestCounts();
    for (int i = 0; i < 10; i++) {
      c.decrypt(ct);
    }
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(C, "Decrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(8);

    // B gets slow: the router moves to C, now the fastest.
    kms.kms().faults(B).latency(Duration.ofMillis(500));
    for (int i = 0; i < 3; i++) {
      c.decrypt(ct);
    }
    kms.kms().resetRequestCounts();
    for (int i = 0; i < 5; i++) {
      c.decrypt(ct);
    }
    assertThat(kms.kms().requestCount(C, "Decrypt")).isEqualTo(5);
  }

  @Test
  void callTimeout_boundsTheWholeCall() {
    String keyId = kms.kms().createMultiRegionKey(A, B, C);
    KmsRouter router =
        Routers.router(
            kms,
            List.of(A, B, C),
            b -> b.attemptTimeout(Duration.ofMillis(200)).callTimeout(Duration.ofMillis(300)));
    EnvelopeClient c = client(router, kms.kms().keyArn(A, keyId));
    for (String r : List.of(A, B, C)) {
      kms.kms().faults(r).blackhole();
    }
    long t0 = System.nanoTime();
    KmsUnavailableException e =
        catchThrowableOfType(() -> c.encrypt(PLAINTEXT, Map.of()), KmsUnavailableException.class);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isLessThan(1500);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("call timeout of 300 ms");
    assertThat(e.attempts())
        .extracting(RegionAttempt::outcome)
        .startsWith(AttemptOutcome.TIMEOUT, AttemptOutcome.TIMEOUT)
        .hasSize(3)
        .allMatch(o -> o == AttemptOutcome.TIMEOUT || o == AttemptOutcome.NOT_TRIED);
  }

  @Test
  void metrics_tagRegionOperationOutcome_neverArns() throws Exception {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KmsRouter router = Routers.router(kms, List.of(A, B), b -> b.meterRegistry(registry));
    EnvelopeClient c = client(router, kms.kms().keyArn(A, keyId));
    byte[] ct = c.encrypt(PLAINTEXT, Map.of()).ciphertext();
    kms.kms().faults(A).throttle(1.0);
    c.decrypt(ct);
    kms.kms().faults(A).heal();
    kms.kms().faults(A).error("KMSInternalException", 1.0);
    c.decrypt(ct);
    kms.kms().faults(A).heal();
    Thread.sleep(50); // attempt metrics are recorded on the attempt threads
    assertThat(
            registry
                .get("mrkenvelope.kms.requests")
                .tags("region", A, "operation", "GenerateDataKey", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("mrkenvelope.kms.requests")
                .tags("region", A, "operation", "Decrypt", "outcome", "throttled")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("mrkenvelope.kms.requests")
                .tags("region", A, "operation", "Decrypt", "outcome", "server_error")
                .timer()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("mrkenvelope.kms.requests")
                .tags("region", B, "operation", "Decrypt", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("mrkenvelope.kms.failovers")
                .tags("operation", "Decrypt", "from", A, "to", B, "reason", "throttled")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("mrkenvelope.region.breaker").gauges()).hasSize(2);
    for (Meter m : registry.getMeters()) {
      for (Tag t : m.getId().getTags()) {
        assertThat(t.getValue()).doesNotContain("arn:").doesNotContain("mrk-");
      }
    }
  }

  @Test
  void noMeterRegistry_noMetrics_andCallsWork() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    EnvelopeClient c = client(router, kms.kms().keyArn(A, keyId));
    assertThat(c.decrypt(c.encrypt(PLAINTEXT, Map.of()).ciphertext()).plaintext())
        .isEqualTo(PLAINTEXT);
  }

  @Test
  void close_leavesNoAttemptThreads() throws Exception {
    java.util.Set<Thread> before = attemptThreadSet();
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, List.of(A, B), b -> b.hedgeAfter(Duration.ofMillis(20)));
    EnvelopeClient c = client(router, kms.kms().keyArn(A, keyId));
    kms.kms().faults(A).latency(Duration.ofMillis(100));
    for (int i = 0; i < 5; i++) {
      c.encrypt(PLAINTEXT, Map.of());
    }
    java.util.Set<Thread> mine = attemptThreadSet();
    mine.removeAll(before);
    assertThat(mine).isNotEmpty();
    router.close();
    for (Thread t : mine) {
      t.join(3000);
      assertThat(t.isAlive()).as(t.getName()).isFalse();
    }
  }

  static java.util.Set<Thread> attemptThreadSet() {
    java.util.Set<Thread> s = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("mrkenvelope-kms-")) {
        s.add(t);
      }
    }
    return s;
  }

  @Test
  void concurrentCalls_allSucceed_duringFailover() throws Exception {
    String keyId = kms.kms().createMultiRegionKey(A, B, C);
    // Generous timeouts: on a 2-core CI box, 4 callers plus hedges plus kms-local share the CPUs.
    KmsRouter router =
        Routers.router(
            kms,
            List.of(A, B, C),
            b ->
                b.attemptTimeout(Duration.ofSeconds(1))
                    .callTimeout(Duration.ofSeconds(5))
                    .hedgeAfter(Duration.ofMillis(100)));
    EnvelopeClient c = client(router, kms.kms().keyArn(A, keyId));
    byte[] ct = c.encrypt(PLAINTEXT, Map.of()).ciphertext();
    kms.kms().faults(A).error("KMSInternalException", 0.5);
    kms.kms().faults(B).throttle(0.5);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<byte[]>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 32; i++) {
        fs.add(pool.submit(() -> c.decrypt(ct).plaintext()));
      }
      for (var f : fs) {
        assertThat(f.get()).isEqualTo(PLAINTEXT);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
