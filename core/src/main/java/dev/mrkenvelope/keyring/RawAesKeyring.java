package dev.mrkenvelope.keyring;

import dev.mrkenvelope.DataKeyUnwrapException;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.internal.AesGcm;
import dev.mrkenvelope.internal.EncryptionContexts;
import dev.mrkenvelope.internal.SecureRandoms;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Wraps data keys with an AES key you hold, exactly as the ESDK's raw AES keyring does, so either
 * side can unwrap what the other wrapped.
 *
 * <p>EDK layout: provider ID = the key namespace; provider info = {@code keyName ‖ u32 tagBits(128)
 * ‖ u32 ivLength(12) ‖ IV(12)}; ciphertext = AES-GCM(wrappingKey, IV, AAD = SerEC(full encryption
 * context), dataKey) ‖ tag. The encryption context is bound to the wrapped key.
 *
 * <pre>{@code
 * Keyring keyring = RawAesKeyring.builder()
 *     .keyNamespace("my-app")
 *     .keyName("2024-key")
 *     .wrappingKey(key32Bytes)     // 16, 24 or 32 bytes; copied
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RawAesKeyring implements Keyring {
  private final String keyNamespace;
  private final String keyName;
  private final byte[] keyNameBytes;
  private final SecretKeySpec wrappingKey;

  private RawAesKeyring(Builder b) {
    this.keyNamespace = b.keyNamespace;
    this.keyName = b.keyName;
    this.keyNameBytes = b.keyName.getBytes(StandardCharsets.UTF_8);
    this.wrappingKey = new SecretKeySpec(b.wrappingKey, "AES");
  }

  /** Starts configuring a {@link RawAesKeyring}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The provider ID this keyring writes and looks for. */
  public String keyNamespace() {
    return keyNamespace;
  }

  /** The key name this keyring writes and looks for. */
  public String keyName() {
    return keyName;
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    EncryptionMaterials m = materials;
    byte[] dataKey;
    if (m.hasPlaintextDataKey()) {
      dataKey = m.plaintextDataKey().orElseThrow();
    } else {
      dataKey = SecureRandoms.bytes(m.algorithmSuite().dataKeyLength());
      m = m.withPlaintextDataKey(dataKey);
    }
    try {
      byte[] iv = SecureRandoms.bytes(AesGcm.IV_LENGTH);
      byte[] aad = EncryptionContexts.serialize(m.encryptionContext());
      byte[] wrapped = AesGcm.wrap(wrappingKey, iv, aad, dataKey);
      byte[] info = new byte[keyNameBytes.length + 20];
      System.arraycopy(keyNameBytes, 0, info, 0, keyNameBytes.length);
      int p = keyNameBytes.length;
      info[p + 3] = (byte) 128; // tag length in bits
      info[p + 7] = (byte) AesGcm.IV_LENGTH;
      System.arraycopy(iv, 0, info, p + 8, AesGcm.IV_LENGTH);
      return m.withEncryptedDataKey(EncryptedDataKey.of(keyNamespace, info, wrapped));
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  @Override
  public DecryptionMaterials onDecrypt(
      DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
    if (materials.hasPlaintextDataKey()) {
      return materials;
    }
    int keyLength = materials.algorithmSuite().dataKeyLength();
    byte[] aad = null;
    List<DataKeyUnwrapException> failures = new ArrayList<>();
    for (EncryptedDataKey edk : encryptedDataKeys) {
      if (!edk.providerId().equals(keyNamespace)) {
        continue;
      }
      byte[] info = edk.providerInfo();
      if (!isOurProviderInfo(info)) {
        continue;
      }
      byte[] ciphertext = edk.ciphertext();
      if (ciphertext.length != keyLength + AesGcm.TAG_LENGTH) {
        failures.add(
            failure("the wrapped key has the wrong length for " + materials.algorithmSuite()));
        continue;
      }
      if (aad == null) {
        aad = EncryptionContexts.serialize(materials.encryptionContext());
      }
      byte[] iv = Arrays.copyOfRange(info, keyNameBytes.length + 8, info.length);
      byte[] dataKey = AesGcm.unwrap(wrappingKey, iv, aad, ciphertext);
      if (dataKey != null) {
        try {
          return materials.withPlaintextDataKey(dataKey);
        } finally {
          Arrays.fill(dataKey, (byte) 0);
        }
      }
      failures.add(
          failure(
              "the wrapped key does not authenticate: wrong wrapping key or encryption context"));
    }
    NoDecryptableKeyException e =
        new NoDecryptableKeyException(
            failures.isEmpty()
                ? "no encrypted data key was wrapped by raw AES key '"
                    + keyNamespace
                    + "/"
                    + keyName
                    + "'; the message was encrypted for other keys"
                : "raw AES key '"
                    + keyNamespace
                    + "/"
                    + keyName
                    + "' could not unwrap any encrypted data key");
    if (failures.isEmpty()) {
      e.addSuppressed(failure("no encrypted data key names this key"));
    }
    failures.forEach(e::addSuppressed);
    throw e;
  }

  private boolean isOurProviderInfo(byte[] info) {
    int n = keyNameBytes.length;
    if (info.length != n + 20 || !Arrays.equals(info, 0, n, keyNameBytes, 0, n)) {
      return false;
    }
    // tag length 128 bits, IV length 12 bytes, both u32
    return info[n] == 0
        && info[n + 1] == 0
        && info[n + 2] == 0
        && (info[n + 3] & 0xFF) == 128
        && info[n + 4] == 0
        && info[n + 5] == 0
        && info[n + 6] == 0
        && info[n + 7] == 12;
  }

  private DataKeyUnwrapException failure(String reason) {
    return new DataKeyUnwrapException(keyNamespace, keyName, null, reason, null);
  }

  @Override
  public String toString() {
    return "RawAesKeyring{" + keyNamespace + "/" + keyName + "}";
  }

  /** Configures a {@link RawAesKeyring}. Not thread-safe. */
  public static final class Builder {
    private String keyNamespace;
    private String keyName;
    private byte[] wrappingKey;

    private Builder() {}

    /** The provider ID written into each EDK. Must not start with {@code aws-kms}. */
    public Builder keyNamespace(String keyNamespace) {
      this.keyNamespace = Objects.requireNonNull(keyNamespace, "keyNamespace");
      return this;
    }

    /** The key name written into each EDK's provider info. */
    public Builder keyName(String keyName) {
      this.keyName = Objects.requireNonNull(keyName, "keyName");
      return this;
    }

    /** The AES wrapping key, 16, 24 or 32 bytes. Copied; zero your copy when done. */
    public Builder wrappingKey(byte[] wrappingKey) {
      Objects.requireNonNull(wrappingKey, "wrappingKey");
      if (wrappingKey.length != 16 && wrappingKey.length != 24 && wrappingKey.length != 32) {
        throw new IllegalArgumentException(
            "wrappingKey must be 16, 24 or 32 bytes (AES-128/192/256): got " + wrappingKey.length);
      }
      this.wrappingKey = wrappingKey.clone();
      return this;
    }

    /** Builds the keyring; throws {@link IllegalStateException} naming what is missing. */
    public RawAesKeyring build() {
      if (keyNamespace == null || keyName == null || wrappingKey == null) {
        throw new IllegalStateException(
            "RawAesKeyring needs keyNamespace(...), keyName(...) and wrappingKey(...); missing: "
                + (keyNamespace == null ? "keyNamespace " : "")
                + (keyName == null ? "keyName " : "")
                + (wrappingKey == null ? "wrappingKey" : ""));
      }
      Keyrings.checkNamespace(keyNamespace);
      Keyrings.checkLength("keyName", keyName, 0xFFFF - 20);
      return new RawAesKeyring(this);
    }
  }
}
