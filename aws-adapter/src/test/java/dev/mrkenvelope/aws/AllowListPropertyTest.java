package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import dev.mrkenvelope.testkit.SdkClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * For random allow-lists, preference orders and per-Region fault schedules: no request ever reaches
 * a Region outside the allow-list (kms-local counters), and every call succeeds while at least one
 * allowed Region is healthy (and fails, with the documented exception, otherwise).
 */
class AllowListPropertyTest {
  static final List<String> ALL = List.of("us-east-1", "eu-west-1", "ap-southeast-1", "us-west-2");
  static final byte[] PLAINTEXT = "allow-list".getBytes(StandardCharsets.UTF_8);
  static final Map<String, String> EC = Map.of("tenant", "p");

  // jqwik runs no JUnit extensions: the test kit's extension as a plain object, started on first
  // use and closed after the container.
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder()
          .regions(ALL.toArray(new String[0]))
          .replicaCreation(Duration.ZERO)
          .build();
  static String keyId;
  static byte[] ciphertext;
  static Map<String, KmsClient> admin = new java.util.HashMap<>();

  enum Fault {
    NONE,
    OUTAGE,
    BLACKHOLE,
    THROTTLE,
    SERVER_ERROR,
    DISABLED
  }

  @BeforeContainer
  static void start() {
    keyId = kms.kms().createMultiRegionKey("us-east-1", "eu-west-1", "ap-southeast-1", "us-west-2");
    for (String r : ALL) {
      admin.put(r, kms.client(r));
    }
    KmsRouter router = Routers.router(kms, ALL, b -> {});
    ciphertext =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn("us-east-1", keyId))
                    .router(router)
                    .build())
            .build()
            .encrypt(PLAINTEXT, EC)
            .ciphertext();
  }

  @AfterContainer
  static void stop() throws Exception {
    kms.close();
  }

  @Provide
  Arbitrary<List<String>> allowLists() {
    return Arbitraries.of(ALL).list().uniqueElements().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<Fault>> schedules() {
    Arbitrary<Fault> f =
        Arbitraries.frequency(
            Tuple.of(5, Fault.NONE),
            Tuple.of(2, Fault.OUTAGE),
            Tuple.of(1, Fault.BLACKHOLE),
            Tuple.of(2, Fault.THROTTLE),
            Tuple.of(2, Fault.SERVER_ERROR),
            Tuple.of(2, Fault.DISABLED));
    return f.list().ofSize(ALL.size());
  }

  @Provide
  Arbitrary<String> keyRegions() {
    return Arbitraries.of(ALL);
  }

  void apply(String region, Fault f) {
    switch (f) {
      case OUTAGE:
        kms.kms().faults(region).outage();
        break;
      case BLACKHOLE:
        kms.kms().faults(region).blackhole();
        break;
      case THROTTLE:
        kms.kms().faults(region).throttle(1.0);
        break;
      case SERVER_ERROR:
        kms.kms().faults(region).error("KMSInternalException", 1.0);
        break;
      case DISABLED:
        admin.get(region).disableKey(b -> b.keyId(keyId));
        break;
      default:
        break;
    }
  }

  static String describe(Throwable t) {
    if (t == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(": ").append(t.getMessage());
    for (Throwable s : t.getSuppressed()) {
      sb.append("\n  suppressed: ").append(s.getMessage());
    }
    return sb.toString();
  }

  @Property(tries = 20)
  void randomAllowListsAndFaults_neverCallOutside_andSucceedWhileOneAllowedHealthy(
      @ForAll("allowLists") List<String> allowed,
      @ForAll("schedules") List<Fault> schedule,
      @ForAll("keyRegions") String keyRegion) {
    List<Fault> faults = new ArrayList<>(schedule);
    for (int i = 0; i < ALL.size(); i++) {
      // kms-local does not count requests an outage refuses; keep outages to allowed Regions so
      // that a stray request to a disallowed Region would always be counted.
      if (!allowed.contains(ALL.get(i)) && faults.get(i) == Fault.OUTAGE) {
        faults.set(i, Fault.NONE);
      }
    }
    List<KmsClient> clients = new ArrayList<>();
    try (KmsRouter router =
        KmsRouter.builder()
            .regions(allowed)
            .clientFactory(
                r -> {
                  KmsClient c = SdkClients.sdkClient(kms.kms(), r);
                  clients.add(c);
                  return c;
                })
            .attemptTimeout(Duration.ofMillis(400))
            .callTimeout(Duration.ofSeconds(3))
            .build()) {
      for (int i = 0; i < ALL.size(); i++) {
        apply(ALL.get(i), faults.get(i));
      }
      kms.kms().resetRequestCounts();
      boolean anyHealthy = false;
      for (int i = 0; i < ALL.size(); i++) {
        anyHealthy |= allowed.contains(ALL.get(i)) && faults.get(i) == Fault.NONE;
      }

      EnvelopeClient client =
          EnvelopeClient.builder()
              .keyring(
                  AwsKmsMrkDiscoveryKeyring.builder()
                      .router(router)
                      .discoveryFilter("aws", java.util.Set.of(LocalKmsExtension.DEFAULT_ACCOUNT))
                      .build())
              .build();
      EnvelopeClient encryptor =
          EnvelopeClient.builder()
              .keyring(
                  AwsKmsMrkKeyring.builder()
                      .keyArn(kms.kms().keyArn(keyRegion, keyId))
                      .router(router)
                      .build())
              .build();
      Throwable decryptError =
          catchThrowable(
              () -> assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT));
      Throwable encryptError = catchThrowable(() -> encryptor.encrypt(PLAINTEXT, EC));

      for (String r : ALL) {
        if (!allowed.contains(r)) {
          assertThat(kms.kms().requestCount(r)).as("requests to disallowed " + r).isZero();
        }
      }
      if (anyHealthy) {
        assertThat(decryptError)
            .as("decrypt with " + allowed + " " + faults + describe(decryptError))
            .isNull();
        assertThat(encryptError)
            .as("encrypt with " + allowed + " " + faults + describe(encryptError))
            .isNull();
      } else {
        assertThat(decryptError).isInstanceOf(NoDecryptableKeyException.class);
        // Every allowed replica disabled: KMS said no everywhere; otherwise something was
        // transient.
        Class<? extends KmsCallException> expected =
            allowed.stream().allMatch(r -> faults.get(ALL.indexOf(r)) == Fault.DISABLED)
                ? KmsRejectedException.class
                : KmsUnavailableException.class;
        assertThat(decryptError.getCause()).isInstanceOf(expected);
        assertThat(encryptError).isInstanceOf(expected);
      }
    } finally {
      kms.healAll();
      for (int i = 0; i < ALL.size(); i++) {
        if (faults.get(i) == Fault.DISABLED) {
          String r = ALL.get(i);
          admin.get(r).enableKey(b -> b.keyId(keyId));
        }
      }
      clients.forEach(KmsClient::close);
    }
  }
}
