package dev.mrkenvelope;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The new key of the re-encryption tests, with a count of the data keys it generated. */
final class ReencrypterFixtures {
  static final byte[] NEW_WRAPPING_KEY = new byte[32];

  static {
    for (int i = 0; i < NEW_WRAPPING_KEY.length; i++) {
      NEW_WRAPPING_KEY[i] = (byte) (0x11 * (i % 7) + i);
    }
  }

  private ReencrypterFixtures() {}

  /** A raw AES keyring unrelated to {@link MessageFixtures#KEYRING}. */
  static final class NewKeyring implements Keyring {
    final AtomicInteger generated = new AtomicInteger();
    private final Keyring inner =
        RawAesKeyring.builder()
            .keyNamespace("migrated")
            .keyName("new-key")
            .wrappingKey(NEW_WRAPPING_KEY)
            .build();

    @Override
    public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
      if (!materials.hasPlaintextDataKey()) {
        generated.incrementAndGet();
      }
      return inner.onEncrypt(materials);
    }

    @Override
    public DecryptionMaterials onDecrypt(
        DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
      return inner.onDecrypt(materials, encryptedDataKeys);
    }
  }

  /** A client that reads what the re-encrypter wrote, with the new key only. */
  static EnvelopeClient newReader(Keyring newKeyring) {
    return EnvelopeClient.builder().keyring(newKeyring).build();
  }
}
