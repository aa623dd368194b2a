package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mrkenvelope.DataKeyUnwrapException;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * For each fault on the preferred Region (us-east-1, the key's home) and for encrypt and decrypt:
 * the call succeeds through the next Region (eu-west-1) where the classification says fail over,
 * and fails fast with the documented exception where it says fail fast. Prints the matrix.
 */
class ChaosMatrixTest {
  static final String PREFERRED = "us-east-1";
  static final String NEXT = "eu-west-1";
  static final String LAST = "ap-southeast-1";
  static final byte[] PLAINTEXT = "chaos matrix".getBytes(StandardCharsets.UTF_8);
  static final Map<String, String> EC = Map.of("purpose", "chaos");

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder()
          .regions(PREFERRED, NEXT, LAST)
          .replicaCreation(Duration.ZERO)
          .build();

  static KmsClient admin;

  enum Fault {
    OUTAGE("outage (connection refused)", true),
    BLACKHOLE("blackhole (never answers)", true),
    LATENCY_300MS("300 ms latency", true),
    THROTTLING("100% ThrottlingException", true),
    KMS_INTERNAL("KMSInternalException (HTTP 500)", true),
    REPLICA_DISABLED("replica disabled (DisableKey)", true),
    POLICY_DENIES("key policy denies the call", false);

    final String label;
    final boolean failsOver;

    Fault(String label, boolean failsOver) {
      this.label = label;
      this.failsOver = failsOver;
    }
  }

  static SimpleMeterRegistry registry = new SimpleMeterRegistry();
  static KmsRouter router;

  @BeforeAll
  static void start() {
    admin = kms.client(PREFERRED);
    // One router for the whole matrix, with a breaker that never opens here, so that each cell
    // sees exactly one failure on the preferred Region and its clients are warm.
    router =
        Routers.router(
            kms,
            List.of(PREFERRED, NEXT, LAST),
            b ->
                b.attemptTimeout(Duration.ofMillis(250))
                    .callTimeout(Duration.ofSeconds(3))
                    .breakerThreshold(1000)
                    .meterRegistry(registry));
    String keyId = kms.kms().createMultiRegionKey(PREFERRED, NEXT, LAST);
    EnvelopeClient warm =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(PREFERRED, keyId))
                    .router(router)
                    .build())
            .build();
    for (int i = 0; i < 3; i++) {
      warm.decrypt(warm.encrypt(PLAINTEXT, EC).ciphertext());
    }
    kms.kms().faults(PREFERRED).throttle(1.0);
    kms.kms().faults(NEXT).throttle(1.0);
    try {
      for (int i = 0; i < 3; i++) {
        warm.decrypt(warm.encrypt(PLAINTEXT, EC).ciphertext()); // warms the third Region's client
      }
    } finally {
      kms.healAll();
    }
  }

  void apply(Fault f, String keyId) {
    switch (f) {
      case OUTAGE:
        kms.kms().faults(PREFERRED).outage();
        break;
      case BLACKHOLE:
        kms.kms().faults(PREFERRED).blackhole();
        break;
      case LATENCY_300MS:
        kms.kms().faults(PREFERRED).latency(Duration.ofMillis(300));
        break;
      case THROTTLING:
        kms.kms().faults(PREFERRED).throttle(1.0);
        break;
      case KMS_INTERNAL:
        kms.kms().faults(PREFERRED).error("KMSInternalException", 1.0);
        break;
      case REPLICA_DISABLED:
        admin.disableKey(b -> b.keyId(keyId));
        break;
      case POLICY_DENIES:
        admin.putKeyPolicy(
            b ->
                b.keyId(keyId)
                    .policy(
                        KeyPolicies.denyPolicy(
                            "kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt")));
        break;
      default:
        throw new AssertionError(f);
    }
  }

  /** What one cell of the matrix did. */
  static final class Cell {
    boolean succeeded;
    RuntimeException error;
    long millis;
    long preferredCalls;
    long nextCalls;
    long lastCalls;
    double failovers;
    String text;
  }

  Cell run(Fault fault, boolean encrypt) {
    String keyId = kms.kms().createMultiRegionKey(PREFERRED, NEXT, LAST);
    AwsKmsMrkKeyring keyring =
        AwsKmsMrkKeyring.builder()
            .keyArn(kms.kms().keyArn(PREFERRED, keyId))
            .router(router)
            .build();
    EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();
    byte[] ciphertext = encrypt ? null : client.encrypt(PLAINTEXT, EC).ciphertext();
    String op = encrypt ? "GenerateDataKey" : "Decrypt";
    Cell cell = new Cell();
    try {
      apply(fault, keyId);
      kms.kms().resetRequestCounts();
      String[] reasonBefore = {null};
      double before = failovers(op, reasonBefore);
      long t0 = System.nanoTime();
      try {
        if (encrypt) {
          client.encrypt(PLAINTEXT, EC);
        } else {
          assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
        }
        cell.succeeded = true;
      } catch (RuntimeException e) {
        cell.error = e;
      }
      cell.millis = (System.nanoTime() - t0) / 1_000_000;
      cell.preferredCalls = kms.kms().requestCount(PREFERRED, op);
      cell.nextCalls = kms.kms().requestCount(NEXT, op);
      cell.lastCalls = kms.kms().requestCount(LAST, op);
      String[] reasonAfter = {"-"};
      cell.failovers = failovers(op, reasonAfter) - before;
      cell.text =
          cell.succeeded
              ? "ok via "
                  + (cell.nextCalls > 0 ? NEXT : PREFERRED)
                  + " ("
                  + reasonAfter[0]
                  + ", "
                  + cell.millis
                  + " ms)"
              : "FAIL FAST "
                  + cell.error.getClass().getSimpleName()
                  + " ("
                  + errorCode(cell.error)
                  + ", "
                  + cell.millis
                  + " ms)";
    } finally {
      kms.healAll();
    }
    return cell;
  }

  /** Sum of the PREFERRED→NEXT failover counters for {@code op}; the reason that grew last. */
  static double failovers(String op, String[] lastReason) {
    double sum = 0;
    for (Counter c :
        registry
            .find("mrkenvelope.kms.failovers")
            .tags("operation", op, "from", PREFERRED, "to", NEXT)
            .counters()) {
      sum += c.count();
      String key = op + "/" + c.getId().getTag("reason");
      double prev = SEEN.getOrDefault(key, 0.0);
      if (c.count() > prev) {
        lastReason[0] = c.getId().getTag("reason");
      }
      SEEN.put(key, c.count());
    }
    return sum;
  }

  static final Map<String, Double> SEEN = new java.util.HashMap<>();

  static String errorCode(RuntimeException e) {
    KmsCallException k = kmsCause(e);
    return k == null
        ? e.getClass().getSimpleName()
        : k.attempts().get(0).errorCode().orElse(k.attempts().get(0).outcome().toString());
  }

  static KmsCallException kmsCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KmsCallException) {
        return (KmsCallException) t;
      }
    }
    return null;
  }

  @Test
  void faultOnPreferredRegion_failsOverOrFailsFastAsClassified() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    List<String> lines = new ArrayList<>();
    String header =
        String.format(
            "%-34s | %-46s | %-46s",
            "fault on " + PREFERRED, "encrypt (GenerateDataKey)", "decrypt (Decrypt)");
    lines.add(header);
    lines.add("-".repeat(header.length()));
    for (Fault f : Fault.values()) {
      Cell enc = run(f, true);
      Cell dec = run(f, false);
      lines.add(String.format("%-34s | %-46s | %-46s", f.label, enc.text, dec.text));
      for (Cell c : Arrays.asList(enc, dec)) {
        String what = f + (c == enc ? "/encrypt" : "/decrypt") + ": ";
        soft.assertThat(c.lastCalls).as(what + "calls to the third Region").isZero();
        if (f.failsOver) {
          soft.assertThat(c.succeeded).as(what + "succeeds, error=" + c.error).isTrue();
          soft.assertThat(c.nextCalls).as(what + "calls to " + NEXT).isEqualTo(1);
          soft.assertThat(c.failovers).as(what + "failover counter").isEqualTo(1.0);
          if (f != Fault.OUTAGE) {
            // An outage refuses connections, so kms-local never counts those requests.
            soft.assertThat(c.preferredCalls).as(what + "calls to " + PREFERRED).isEqualTo(1);
          }
        } else {
          soft.assertThat(c.succeeded).as(what + "fails").isFalse();
          soft.assertThat(c.nextCalls).as(what + "no call to " + NEXT).isZero();
          soft.assertThat(c.preferredCalls).as(what + "calls to " + PREFERRED).isEqualTo(1);
          if (c.error != null) {
            if (c == enc) {
              soft.assertThat(c.error).as(what).isInstanceOf(KmsRejectedException.class);
            } else {
              soft.assertThat(c.error).as(what).isInstanceOf(NoDecryptableKeyException.class);
              soft.assertThat(c.error.getSuppressed())
                  .as(what + "suppressed attempts")
                  .anySatisfy(
                      s -> assertThat(((DataKeyUnwrapException) s).region()).contains(PREFERRED));
            }
            KmsCallException k = kmsCause(c.error);
            soft.assertThat(k)
                .as(what + "KmsRejectedException")
                .isInstanceOf(KmsRejectedException.class);
            if (k != null) {
              soft.assertThat(k.failedFast()).as(what + "failedFast").isTrue();
              soft.assertThat(k.retryable()).as(what + "retryable").isFalse();
              soft.assertThat(k.getMessage())
                  .as(what + "message")
                  .contains("arn:aws:kms:us-east-1:111122223333:key/mrk-")
                  .contains(PREFERRED)
                  .contains("AccessDeniedException")
                  .contains("key policy")
                  .contains("failOverOnAccessDenied");
            }
          }
        }
      }
    }
    String matrix = String.join(System.lineSeparator(), lines);
    System.out.println(
        System.lineSeparator()
            + "Chaos matrix (router regions "
            + PREFERRED
            + ", "
            + NEXT
            + ", "
            + LAST
            + "; attemptTimeout 250 ms)"
            + System.lineSeparator()
            + matrix);
    Path out = Path.of("target", "chaos-matrix.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, matrix + System.lineSeparator());
    soft.assertAll();
  }

  @Test
  void accessDeniedWithOptIn_failsOverToNextRegion() {
    String keyId = kms.kms().createMultiRegionKey(PREFERRED, NEXT, LAST);
    KmsRouter router =
        Routers.router(kms, List.of(PREFERRED, NEXT, LAST), b -> b.failOverOnAccessDenied(true));
    AwsKmsMrkKeyring keyring =
        AwsKmsMrkKeyring.builder()
            .keyArn(kms.kms().keyArn(PREFERRED, keyId))
            .router(router)
            .build();
    EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();
    byte[] ciphertext = client.encrypt(PLAINTEXT, EC).ciphertext();
    apply(Fault.POLICY_DENIES, keyId);
    kms.kms().resetRequestCounts();
    assertThat(client.decrypt(ciphertext).plaintext()).isEqualTo(PLAINTEXT);
    assertThat(client.encrypt(PLAINTEXT, EC).encryptedDataKeys().get(0).providerInfoUtf8())
        .isEqualTo(kms.kms().keyArn(NEXT, keyId));
    assertThat(kms.kms().requestCount(NEXT, "Decrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(NEXT, "GenerateDataKey")).isEqualTo(1);
  }

  @Test
  void everyReplicaDisabled_namesEachRegionWithHint_notRetryable() {
    String keyId = kms.kms().createMultiRegionKey(PREFERRED, NEXT, LAST);
    KmsRouter router = Routers.router(kms, PREFERRED, NEXT, LAST);
    AwsKmsMrkKeyring keyring =
        AwsKmsMrkKeyring.builder()
            .keyArn(kms.kms().keyArn(PREFERRED, keyId))
            .router(router)
            .build();
    EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();
    for (String r : List.of(PREFERRED, NEXT, LAST)) {
      kms.client(r).disableKey(b -> b.keyId(keyId));
    }
    KmsRejectedException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> client.encrypt(PLAINTEXT, EC), KmsRejectedException.class);
    assertThat(e.retryable()).isFalse();
    assertThat(e.failedFast()).isFalse();
    assertThat(e.attempts())
        .extracting(RegionAttempt::region)
        .containsExactly(PREFERRED, NEXT, LAST);
    assertThat(e.attempts())
        .allSatisfy(a -> assertThat(a.errorCode()).contains("DisabledException"));
    assertThat(e.getMessage())
        .contains(kms.kms().keyArn(PREFERRED, keyId))
        .contains("replicas are enabled independently")
        .contains("EnableKey in " + LAST);
  }
}
