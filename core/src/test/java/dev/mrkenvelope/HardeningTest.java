package dev.mrkenvelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.internal.EncryptionContexts;
import dev.mrkenvelope.keyring.RawAesKeyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.DecryptionMaterialsRequest;
import dev.mrkenvelope.materials.DefaultMaterialsManager;
import dev.mrkenvelope.materials.EncryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterialsRequest;
import dev.mrkenvelope.materials.MaterialsManager;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Guards against plug-ins and inputs that the format alone would not stop. */
class HardeningTest {
  static final RawAesKeyring KEYRING =
      RawAesKeyring.builder().keyNamespace("ns").keyName("k").wrappingKey(new byte[32]).build();
  static final byte[] PLAINTEXT = "hardening".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** A materials manager that rewrites the decryption context before handing it back. */
  static MaterialsManager rewriting(Map<String, String> extra, Set<String> required) {
    DefaultMaterialsManager inner = DefaultMaterialsManager.create(KEYRING);
    return new MaterialsManager() {
      @Override
      public EncryptionMaterials getEncryptionMaterials(EncryptionMaterialsRequest request) {
        return inner.getEncryptionMaterials(request);
      }

      @Override
      public DecryptionMaterials decryptMaterials(DecryptionMaterialsRequest request) {
        DecryptionMaterials real =
            inner.decryptMaterials(
                DecryptionMaterialsRequest.builder()
                    .algorithmSuite(request.algorithmSuite())
                    .encryptedDataKeys(request.encryptedDataKeys())
                    .encryptionContext(request.encryptionContext())
                    .commitmentPolicy(request.commitmentPolicy())
                    .build()); // ignores the reproduced context on purpose
        Map<String, String> ec = new LinkedHashMap<>(real.encryptionContext());
        ec.putAll(extra);
        return DecryptionMaterials.create(real.algorithmSuite(), ec, required, null)
            .withPlaintextDataKey(real.plaintextDataKey().orElseThrow());
      }
    };
  }

  static EnvelopeClient client(MaterialsManager mm) {
    return EnvelopeClient.builder()
        .materialsManager(mm)
        .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
        .build();
  }

  @Test
  void managerAddsUnrequiredPair_decryptRefusesToReportIt() {
    byte[] ct =
        client(DefaultMaterialsManager.create(KEYRING))
            .encrypt(PLAINTEXT, Map.of("tenant", "evil"))
            .ciphertext();
    EnvelopeClient lying = client(rewriting(Map.of("role", "admin"), Set.of()));

    assertThatThrownBy(() -> lying.decrypt(ct))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("without marking it required");
  }

  @Test
  void managerChangesStoredPair_decryptFails() {
    byte[] ct =
        client(DefaultMaterialsManager.create(KEYRING))
            .encrypt(PLAINTEXT, Map.of("tenant", "evil"))
            .ciphertext();
    EnvelopeClient lying = client(rewriting(Map.of("tenant", "acme"), Set.of()));

    assertThatThrownBy(() -> lying.decrypt(ct))
        .hasMessageContaining("changed the message's encryption context");
  }

  @Test
  void managerIgnoresReproducedContext_clientStillRejectsMismatch() {
    byte[] ct =
        client(DefaultMaterialsManager.create(KEYRING))
            .encrypt(PLAINTEXT, Map.of("tenant", "evil"))
            .ciphertext();
    EnvelopeClient ignoring = client(rewriting(Map.of(), Set.of()));

    assertThat(ignoring.decrypt(ct).plaintext()).isEqualTo(PLAINTEXT);
    assertThatThrownBy(() -> ignoring.decrypt(ct, Map.of("tenant", "acme")))
        .isInstanceOf(DecryptionFailedException.class);
  }

  @Test
  void contextOf65536SerializedBytes_isRejectedNotWrapped() {
    // count(2) + keyLen(2) + key(1) + valueLen(2) + value: 7 + 65529 = 65536 bytes.
    Map<String, String> ec = Map.of("k", "v".repeat(65529));
    assertThatThrownBy(() -> EncryptionContexts.serialize(ec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65536");
    assertThat(EncryptionContexts.serialize(Map.of("k", "v".repeat(65528)))).hasSize(65535);
  }

  @Test
  void streamWithMaximalFrameLength_roundTripsSmallPlaintext() throws Exception {
    EnvelopeClient c =
        EnvelopeClient.builder()
            .keyring(KEYRING)
            .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
            .frameLength(Integer.MAX_VALUE)
            .maxFrameLength(Integer.MAX_VALUE) // the reader must accept such frames explicitly
            .build();
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    try (java.io.OutputStream out = c.encryptingStream(sink, Map.of())) {
      out.write(PLAINTEXT);
    }
    assertThat(c.decrypt(sink.toByteArray()).plaintext()).isEqualTo(PLAINTEXT);
    assertThat(EncryptingOutputStream.MAX_BUFFER).isLessThan(Integer.MAX_VALUE - 32);
  }

  @Test
  void streamedHeaders_whereAnyFieldCrossesTheFirstBufferGrowth_decrypt() throws Exception {
    // A stream's header buffer starts at 512 bytes and grows as fields arrive; a field read just
    // as it grows must be read from the new buffer. Contexts of every size here move each field
    // of the header across that boundary once.
    EnvelopeClient c = client(DefaultMaterialsManager.create(KEYRING));
    for (int n = 300; n <= 520; n++) {
      byte[] m = c.encrypt(PLAINTEXT, Map.of("k", "v".repeat(n))).ciphertext();
      try (DecryptingInputStream in = c.decryptingStream(new ByteArrayInputStream(m))) {
        assertThat(in.readAllBytes()).as("context value of %d bytes", n).isEqualTo(PLAINTEXT);
      }
    }
  }

  @Test
  void streamedHeaderLargerThanCap_failsWithLimitExceeded() {
    // A v2 header claiming 65535 EDKs of maximal size, fed from a generator: the stream must stop
    // at its limits instead of buffering gigabytes (the EDK count limit first, by default).
    byte[] start = new byte[1 + 2 + 32 + 2 + 2];
    start[0] = 2;
    start[1] = 0x04;
    start[2] = 0x78;
    start[start.length - 2] = (byte) 0xFF;
    start[start.length - 1] = (byte) 0xFF;
    byte[] edk = new byte[6 + 3 * 65535];
    edk[0] = (byte) 0xFF;
    edk[1] = (byte) 0xFF;
    edk[2 + 65535] = (byte) 0xFF;
    edk[3 + 65535] = (byte) 0xFF;
    edk[4 + 2 * 65535] = (byte) 0xFF;
    edk[5 + 2 * 65535] = (byte) 0xFF;
    InputStream edks =
        new InputStream() {
          int pos;

          @Override
          public int read() {
            return edk[pos++ % edk.length] & 0xFF;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
              b[off + i] = edk[pos++ % edk.length];
            }
            return len;
          }
        };
    DecryptingInputStream in =
        client(DefaultMaterialsManager.create(KEYRING))
            .decryptingStream(new SequenceInputStream(new ByteArrayInputStream(start), edks));

    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("maxEncryptedDataKeys");
  }

  /** A caller's map that shows a valid context when first read and a reserved key after. */
  static final class ShiftingMap extends java.util.AbstractMap<String, String> {
    private int reads;

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
      return reads++ == 0
          ? Set.of(Map.entry("tenant", "a"))
          : Set.of(Map.entry("aws-crypto-public-key", "forged"));
    }

    @Override
    public int size() {
      return 1;
    }
  }

  @org.junit.jupiter.api.Test
  void encrypt_contextChangingWhileRead_carriesTheCopyThatWasValidated() {
    EnvelopeClient c = client(DefaultMaterialsManager.create(KEYRING));
    EncryptResult r = c.encrypt(PLAINTEXT, new ShiftingMap());
    org.assertj.core.api.Assertions.assertThat(r.encryptionContext())
        .isEqualTo(Map.of("tenant", "a"));
    org.assertj.core.api.Assertions.assertThat(c.decrypt(r.ciphertext()).encryptionContext())
        .isEqualTo(Map.of("tenant", "a"));
  }
}
