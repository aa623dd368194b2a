package dev.mrkenvelope.materials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.encryptionsdk.ParsedCiphertext;
import dev.mrkenvelope.DecryptOptions;
import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.DecryptingInputStream;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.PolicyException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequiredEncryptionContextMaterialsManagerTest {
  static final Map<String, String> EC = Map.of("tenant", "acme", "purpose", "invoice");
  static final byte[] PLAINTEXT = "required context".getBytes(StandardCharsets.UTF_8);

  final CountingKeyring keyring = new CountingKeyring();

  RequiredEncryptionContextMaterialsManager requiring(String... keys) {
    return RequiredEncryptionContextMaterialsManager.builder()
        .keyring(keyring)
        .requiredEncryptionContextKeys(Set.of(keys))
        .build();
  }

  static EnvelopeClient client(MaterialsManager m) {
    return EnvelopeClient.builder().materialsManager(m).build();
  }

  /** The context stored in the message header, read by ESDK-Java's header parser. */
  static Map<String, String> storedContextOf(byte[] ciphertext) {
    return new ParsedCiphertext(ciphertext).getEncryptionContextMap();
  }

  @Test
  void requiredPair_isAuthenticatedButNotStored_andMustBeReproduced() {
    EnvelopeClient c = client(requiring("tenant"));

    EncryptResult e = c.encrypt(PLAINTEXT, EC);

    assertThat(storedContextOf(e.ciphertext())).containsKey("purpose").doesNotContainKey("tenant");
    DecryptResult d = c.decrypt(e.ciphertext(), Map.of("tenant", "acme"));
    assertThat(d.plaintext()).isEqualTo(PLAINTEXT);
    assertThat(d.encryptionContext())
        .containsEntry("tenant", "acme")
        .containsEntry("purpose", "invoice");
  }

  @Test
  void encrypt_contextWithoutARequiredKey_failsBeforeTheKeyring_namingKeysNotValues() {
    EnvelopeClient c = client(requiring("tenant", "region"));

    assertThatThrownBy(() -> c.encrypt(PLAINTEXT, Map.of("tenant", "secret-tenant-id")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("[region]")
        .hasMessageNotContaining("secret-tenant-id");
    assertThat(keyring.encryptCalls).hasValue(0);
  }

  @Test
  void decrypt_withoutTheRequiredKey_failsBeforeAnyUnwrap() {
    EnvelopeClient c = client(requiring("tenant"));
    byte[] ct = c.encrypt(PLAINTEXT, EC).ciphertext();

    assertThatThrownBy(() -> c.decrypt(ct))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("[tenant]")
        .hasMessageContaining("reproducedContext");
    assertThatThrownBy(() -> c.decrypt(ct, Map.of("purpose", "invoice")))
        .isInstanceOf(PolicyException.class);
    assertThat(keyring.decryptCalls).hasValue(0);
  }

  @Test
  void decrypt_wrongRequiredValue_doesNotAuthenticate() {
    EnvelopeClient c = client(requiring("tenant"));
    byte[] ct = c.encrypt(PLAINTEXT, EC).ciphertext();

    assertThatThrownBy(() -> c.decrypt(ct, Map.of("tenant", "evil")))
        .isInstanceOf(EnvelopeException.class);
  }

  @Test
  void plainClient_readsTheMessageOnlyWithTheReproducedPair() {
    byte[] ct = client(requiring("tenant")).encrypt(PLAINTEXT, EC).ciphertext();
    EnvelopeClient plain = EnvelopeClient.builder().keyring(keyring).build();

    assertThat(plain.decrypt(ct, Map.of("tenant", "acme")).plaintext()).isEqualTo(PLAINTEXT);
    assertThatThrownBy(() -> plain.decrypt(ct)).isInstanceOf(EnvelopeException.class);
  }

  @Test
  void streams_writeAndReadRequiredPairs() throws Exception {
    EnvelopeClient c = client(requiring("tenant"));
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    try (OutputStream out = c.encryptingStream(sink, EC)) {
      out.write(PLAINTEXT);
    }

    try (DecryptingInputStream in =
        c.decryptingStream(
            new ByteArrayInputStream(sink.toByteArray()),
            DecryptOptions.defaults().withReproducedContext(Map.of("tenant", "acme")))) {
      assertThat(in.readAllBytes()).isEqualTo(PLAINTEXT);
    }
    assertThat(c.decrypt(sink.toByteArray(), Map.of("tenant", "acme")).plaintext())
        .isEqualTo(PLAINTEXT);
  }

  @Test
  void overACache_requiredKeySetsDoNotShareEntries() {
    CachingMaterialsManager cache =
        CachingMaterialsManager.builder().keyring(keyring).maxAge(Duration.ofMinutes(5)).build();
    EnvelopeClient requiring =
        client(
            RequiredEncryptionContextMaterialsManager.builder()
                .materialsManager(cache)
                .requiredEncryptionContextKeys(Set.of("tenant"))
                .build());
    EnvelopeClient plain = client(cache);

    byte[] r1 = requiring.encrypt(PLAINTEXT, EC).ciphertext();
    byte[] r2 = requiring.encrypt(PLAINTEXT, EC).ciphertext();
    byte[] p1 = plain.encrypt(PLAINTEXT, EC).ciphertext();

    assertThat(keyring.encryptCalls).hasValue(2); // one entry per required-key set
    assertThat(storedContextOf(p1)).containsKeys("tenant", "purpose");
    assertThat(storedContextOf(r1)).containsKey("purpose").doesNotContainKey("tenant");
    assertThat(requiring.decrypt(r1, Map.of("tenant", "acme")).plaintext()).isEqualTo(PLAINTEXT);
    assertThat(requiring.decrypt(r2, Map.of("tenant", "acme")).plaintext()).isEqualTo(PLAINTEXT);
    assertThat(plain.decrypt(p1).plaintext()).isEqualTo(PLAINTEXT);
  }

  @Test
  void underlyingManagerDroppingRequiredKeys_isRefused() {
    MaterialsManager dropping =
        new MaterialsManager() {
          final DefaultMaterialsManager d = DefaultMaterialsManager.create(keyring);

          @Override
          public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest r) {
            return d.getEncryptionMaterials(
                EncryptionMaterialsRequest.builder()
                    .encryptionContext(r.encryptionContext())
                    .build());
          }

          @Override
          public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest r) {
            return d.decryptMaterials(r);
          }
        };
    EnvelopeClient c =
        client(
            RequiredEncryptionContextMaterialsManager.builder()
                .materialsManager(dropping)
                .requiredEncryptionContextKeys(Set.of("tenant"))
                .build());

    assertThatThrownBy(() -> c.encrypt(PLAINTEXT, EC))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("do not mark [tenant] as required");
  }

  @Test
  void builder_badOrMissingSettings_failWithTheFix() {
    assertThatThrownBy(
            () ->
                RequiredEncryptionContextMaterialsManager.builder()
                    .requiredEncryptionContextKeys(Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(
            () ->
                RequiredEncryptionContextMaterialsManager.builder()
                    .requiredEncryptionContextKeys(Set.of("aws-crypto-x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aws-crypto-");
    assertThatThrownBy(
            () ->
                RequiredEncryptionContextMaterialsManager.builder()
                    .requiredEncryptionContextKeys(Set.of("a"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("keyring(...) or a materialsManager(...)");
    assertThatThrownBy(
            () -> RequiredEncryptionContextMaterialsManager.builder().keyring(keyring).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("requiredEncryptionContextKeys is required");
  }
}
