package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.DecryptionFailedException;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.keyring.RawAesKeyring;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingMetricsTest {
  static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final CountingKeyring keyring = new CountingKeyring();
  final AtomicLong now = new AtomicLong();

  double gets(String result) {
    return registry.get("mrkenvelope.cache.gets").tag("result", result).counter().count();
  }

  double evictions(String cause) {
    return registry.get("mrkenvelope.cache.evictions").tag("cause", cause).counter().count();
  }

  static EncryptionMaterialsRequest request(String tenant) {
    return EncryptionMaterialsRequest.builder()
        .encryptionContext(Map.of("tenant", tenant))
        .algorithmSuite(SUITE)
        .plaintextLength(10)
        .build();
  }

  @Test
  void cacheMeters_registeredAtBuild_withDescriptionsAndOnlyDocumentedTags() {
    CachingMaterialsManager.builder()
        .keyring(keyring)
        .maxAge(Duration.ofMinutes(1))
        .meterRegistry(registry)
        .build();

    assertThat(registry.getMeters())
        .extracting(m -> m.getId().getName() + m.getId().getTags())
        .containsExactlyInAnyOrder(
            "mrkenvelope.cache.gets[tag(result=hit)]",
            "mrkenvelope.cache.gets[tag(result=miss)]",
            "mrkenvelope.cache.evictions[tag(cause=expired)]",
            "mrkenvelope.cache.evictions[tag(cause=limit)]",
            "mrkenvelope.cache.evictions[tag(cause=size)]");
    assertThat(registry.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getDescription()).isNotBlank());
    assertThat(registry.getMeters())
        .allSatisfy(m -> assertThat(m.getId().getType()).isEqualTo(Meter.Type.COUNTER));
  }

  @Test
  void hitsMissesAndLimitEvictions_counted() {
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(keyring)
            .maxAge(Duration.ofMinutes(1))
            .maxMessagesPerKey(3)
            .meterRegistry(registry)
            .ticker(now::get)
            .build();

    for (int i = 0; i < 7; i++) { // keys: 3 + 3 + 1 messages
      m.getEncryptionMaterials(request("a"));
    }

    assertThat(gets("miss")).isEqualTo(3);
    assertThat(gets("hit")).isEqualTo(4);
    assertThat(evictions("limit")).isEqualTo(2);
    assertThat(keyring.encryptCalls).hasValue(3);
  }

  @Test
  void expiryEvictions_counted_onEncryptAndDecrypt() {
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(keyring)
            .maxAge(Duration.ofSeconds(30))
            .meterRegistry(registry)
            .ticker(now::get)
            .build();
    EnvelopeClient c = EnvelopeClient.builder().algorithmSuite(SUITE).materialsManager(m).build();
    byte[] ct = c.encrypt(new byte[1], Map.of("tenant", "a")).ciphertext();
    c.decrypt(ct);

    now.addAndGet(Duration.ofSeconds(30).toNanos());
    c.encrypt(new byte[1], Map.of("tenant", "a"));
    c.decrypt(ct);

    assertThat(evictions("expired")).isEqualTo(2);
    assertThat(gets("miss")).isEqualTo(4);
    assertThat(gets("hit")).isZero();
  }

  @Test
  void sizeEvictions_counted() {
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(keyring)
            .maxAge(Duration.ofMinutes(1))
            .capacity(2)
            .meterRegistry(registry)
            .ticker(now::get)
            .build();

    for (int i = 0; i < 10; i++) {
      m.getEncryptionMaterials(request("tenant-" + i));
    }

    assertThat(evictions("size")).isEqualTo(8);
    assertThat(gets("miss")).isEqualTo(10);
  }

  @Test
  void bypassedRequests_notCounted() {
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(keyring)
            .maxAge(Duration.ofMinutes(1))
            .meterRegistry(registry)
            .build();

    m.getEncryptionMaterials(
        EncryptionMaterialsRequest.builder().algorithmSuite(SUITE).plaintextLength(-1).build());

    assertThat(gets("hit") + gets("miss")).isZero();
    assertThat(keyring.encryptCalls).hasValue(1);
  }

  @Test
  void envelopeClient_messagesTimer_byOperationAndOutcome() {
    EnvelopeClient c =
        EnvelopeClient.builder()
            .algorithmSuite(SUITE)
            .materialsManager(
                CachingMaterialsManager.builder()
                    .keyring(keyring)
                    .maxAge(Duration.ofMinutes(1))
                    .meterRegistry(registry)
                    .build())
            .meterRegistry(registry)
            .build();
    byte[] ct = c.encrypt(new byte[100], Map.of("tenant", "a")).ciphertext();
    c.encrypt(new byte[100], Map.of("tenant", "a"));
    c.decrypt(ct);
    byte[] tampered = ct.clone();
    tampered[tampered.length - 5] ^= 1;
    assertThatThrownBy(() -> c.decrypt(tampered)).isInstanceOf(DecryptionFailedException.class);
    EnvelopeClient stranger =
        EnvelopeClient.builder()
            .keyring(
                RawAesKeyring.builder()
                    .keyNamespace("other")
                    .keyName("k")
                    .wrappingKey(new byte[32])
                    .build())
            .meterRegistry(registry)
            .build();
    assertThatThrownBy(() -> stranger.decrypt(ct)).isInstanceOf(NoDecryptableKeyException.class);
    assertThatThrownBy(() -> c.encrypt(new byte[1], Map.of("aws-crypto-x", "reserved")))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(timerCount("encrypt", "success")).isEqualTo(2);
    assertThat(timerCount("decrypt", "success")).isEqualTo(1);
    assertThat(timerCount("decrypt", "decryption_failed")).isEqualTo(1);
    assertThat(timerCount("decrypt", "no_decryptable_key")).isEqualTo(1);
    assertThat(timerCount("encrypt", "error")).isEqualTo(1);
    assertThat(registry.get("mrkenvelope.messages").timers())
        .allSatisfy(
            t -> {
              assertThat(t.getId().getDescription()).isNotBlank();
              assertThat(t.getId().getTags())
                  .extracting(Tag::getKey)
                  .containsExactlyInAnyOrder("operation", "outcome");
            });
    // Hits: the second encrypt, and the tampered message, whose header still names the data key.
    assertThat(gets("hit")).isEqualTo(2);
    assertThat(gets("miss")).isEqualTo(2);
  }

  double timerCount(String operation, String outcome) {
    return registry
        .get("mrkenvelope.messages")
        .tag("operation", operation)
        .tag("outcome", outcome)
        .timer()
        .count();
  }

  @Test
  void noRegistry_noMeters() {
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(keyring)
            .maxAge(Duration.ofMinutes(1))
            .capacity(1)
            .build();
    EnvelopeClient c = EnvelopeClient.builder().algorithmSuite(SUITE).materialsManager(m).build();

    c.decrypt(c.encrypt(new byte[1], Map.of("tenant", "a")).ciphertext());
    c.encrypt(new byte[1], Map.of("tenant", "b"));

    assertThat(Metrics.globalRegistry.getMeters())
        .noneMatch(meter -> meter.getId().getName().startsWith("mrkenvelope."));
  }
}
