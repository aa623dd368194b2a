package dev.mrkenvelope.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.DecryptionFailedException;
import dev.mrkenvelope.EnvelopeClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fake keyrings against the real client: what they count, capture and answer. */
class KeyringsTest {
  private static final byte[] PLAINTEXT = "attack at dawn".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> CONTEXT = Map.of("tenant", "acme");

  @Test
  void countingKeyring_countsEveryCallToItsDelegate() {
    CountingKeyring keyring = CountingKeyring.rawAes();
    EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();

    byte[] message = client.encrypt(PLAINTEXT, CONTEXT).ciphertext();
    client.encrypt(PLAINTEXT, CONTEXT);
    client.decrypt(message);

    assertThat(keyring.encryptCalls()).isEqualTo(2);
    assertThat(keyring.decryptCalls()).isEqualTo(1);
    // Two raw-AES counting keyrings share the test key.
    assertThat(
            EnvelopeClient.builder()
                .keyring(CountingKeyring.rawAes())
                .build()
                .decrypt(message)
                .plaintext())
        .isEqualTo(PLAINTEXT);
  }

  @Test
  void countingKeyring_failNext_failsOnlyTheNextCall() {
    CountingKeyring keyring = CountingKeyring.rawAes();
    EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();
    IllegalStateException boom = new IllegalStateException("keyring down");

    keyring.failNext(boom);

    assertThatThrownBy(() -> client.encrypt(PLAINTEXT, CONTEXT)).isSameAs(boom);
    assertThat(client.encrypt(PLAINTEXT, CONTEXT).ciphertext()).isNotEmpty();
    assertThat(keyring.encryptCalls()).isEqualTo(2);
  }

  @Test
  void countingKeyring_gate_holdsCallsUntilOpened() throws Exception {
    CountingKeyring keyring = CountingKeyring.rawAes().closeGate();
    EnvelopeClient client = EnvelopeClient.builder().keyring(keyring).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CompletableFuture<byte[]> a =
          CompletableFuture.supplyAsync(
              () -> client.encrypt(PLAINTEXT, CONTEXT).ciphertext(), pool);
      CompletableFuture<byte[]> b =
          CompletableFuture.supplyAsync(
              () -> client.encrypt(PLAINTEXT, CONTEXT).ciphertext(), pool);
      while (keyring.encryptCalls() < 2) {
        Thread.onSpinWait();
      }
      assertThat(a).isNotDone();
      assertThat(b).isNotDone();

      keyring.openGate();

      assertThat(a.get(30, TimeUnit.SECONDS)).isNotEmpty();
      assertThat(b.get(30, TimeUnit.SECONDS)).isNotEmpty();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void capturedDataKey_decryptsTheMessageThroughFixedDataKeyKeyring() {
    for (AlgorithmSuite suite :
        new AlgorithmSuite[] {
          AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
          AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384
        }) {
      CapturingKeyring capturing = CapturingKeyring.capturing(CountingKeyring.rawAes());
      EnvelopeClient client =
          EnvelopeClient.builder().keyring(capturing).algorithmSuite(suite).build();
      byte[] message = client.encrypt(PLAINTEXT, CONTEXT).ciphertext();
      assertThat(capturing.lastDataKey()).isEmpty();

      client.decrypt(message);
      byte[] dataKey = capturing.lastDataKey().orElseThrow();
      assertThat(capturing.lastVerificationKey().isPresent()).isEqualTo(suite.isSigning());

      FixedDataKeyKeyring fixed = FixedDataKeyKeyring.of(dataKey);
      byte[] back = EnvelopeClient.builder().keyring(fixed).build().decrypt(message).plaintext();
      assertThat(back).isEqualTo(PLAINTEXT);
      assertThat(fixed.calls()).isEqualTo(1);
    }
  }

  @Test
  void fixedDataKeyKeyring_withTheWrongKey_failsAuthentication() {
    byte[] message =
        EnvelopeClient.builder()
            .keyring(CountingKeyring.rawAes())
            .build()
            .encrypt(PLAINTEXT, CONTEXT)
            .ciphertext();
    EnvelopeClient wrong =
        EnvelopeClient.builder().keyring(FixedDataKeyKeyring.of(new byte[32])).build();

    assertThatThrownBy(() -> wrong.decrypt(message)).isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void fixedDataKeyKeyring_refusesToEncrypt() {
    EnvelopeClient client =
        EnvelopeClient.builder().keyring(FixedDataKeyKeyring.of(new byte[32])).build();

    assertThatThrownBy(() -> client.encrypt(PLAINTEXT, CONTEXT))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "FixedDataKeyKeyring only decrypts; encrypt with a RawAesKeyring or a KMS keyring");
  }
}
