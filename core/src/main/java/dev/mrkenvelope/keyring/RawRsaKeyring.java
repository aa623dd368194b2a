package dev.mrkenvelope.keyring;

import dev.mrkenvelope.DataKeyUnwrapException;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.internal.SecureRandoms;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * Wraps data keys with an RSA key pair, exactly as the ESDK's raw RSA keyring does.
 *
 * <p>EDK layout: provider ID = the key namespace; provider info = the key name (UTF-8, nothing
 * else); ciphertext = the RSA encryption of the data key (as long as the modulus). The encryption
 * context is not bound to the wrapped key (RSA has no AAD); the message header tag still binds it
 * to the message.
 *
 * <pre>{@code
 * Keyring keyring = RawRsaKeyring.builder()
 *     .keyNamespace("my-app").keyName("rsa-2024")
 *     .padding(RsaPadding.OAEP_SHA256_MGF1)
 *     .publicKey(publicKey)      // needed to encrypt; or publicKeyPem("-----BEGIN PUBLIC KEY-----...")
 *     .privateKey(privateKey)    // needed to decrypt; or privateKeyPem("-----BEGIN PRIVATE KEY-----...")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RawRsaKeyring implements Keyring {
  private final String keyNamespace;
  private final String keyName;
  private final byte[] keyNameBytes;
  private final RsaPadding padding;
  private final PublicKey publicKey;
  private final PrivateKey privateKey;

  private RawRsaKeyring(Builder b) {
    this.keyNamespace = b.keyNamespace;
    this.keyName = b.keyName;
    this.keyNameBytes = b.keyName.getBytes(StandardCharsets.UTF_8);
    this.padding = b.padding;
    this.publicKey = b.publicKey;
    this.privateKey = b.privateKey;
  }

  /** Starts configuring a {@link RawRsaKeyring}. */
  public static Builder builder() {
    return new Builder();
  }

  private Cipher cipher(int mode, java.security.Key key) throws GeneralSecurityException {
    Cipher c = Cipher.getInstance(padding.transformation);
    if (padding.hash == null) {
      c.init(mode, key, SecureRandoms.get());
    } else {
      c.init(
          mode,
          key,
          new OAEPParameterSpec(
              padding.hash,
              "MGF1",
              new MGF1ParameterSpec(padding.hash),
              PSource.PSpecified.DEFAULT),
          SecureRandoms.get());
    }
    return c;
  }

  @Override
  public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
    if (publicKey == null) {
      throw new EnvelopeException(
          "RawRsaKeyring '"
              + keyNamespace
              + "/"
              + keyName
              + "' has no public key and cannot encrypt; set publicKey(...) on its builder");
    }
    EncryptionMaterials m = materials;
    byte[] dataKey;
    if (m.hasPlaintextDataKey()) {
      dataKey = m.plaintextDataKey().orElseThrow();
    } else {
      dataKey = SecureRandoms.bytes(m.algorithmSuite().dataKeyLength());
      m = m.withPlaintextDataKey(dataKey);
    }
    try {
      byte[] wrapped = cipher(Cipher.ENCRYPT_MODE, publicKey).doFinal(dataKey);
      return m.withEncryptedDataKey(EncryptedDataKey.of(keyNamespace, keyNameBytes, wrapped));
    } catch (GeneralSecurityException e) {
      throw new EnvelopeException(
          "RSA wrapping with '" + keyNamespace + "/" + keyName + "' failed: " + e.getMessage(), e);
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
    if (privateKey == null) {
      NoDecryptableKeyException e =
          new NoDecryptableKeyException(
              "RawRsaKeyring '"
                  + keyNamespace
                  + "/"
                  + keyName
                  + "' has no private key and cannot decrypt; set privateKey(...) on its builder");
      e.addSuppressed(failure("no private key configured", null));
      throw e;
    }
    List<DataKeyUnwrapException> failures = new ArrayList<>();
    for (EncryptedDataKey edk : encryptedDataKeys) {
      if (!edk.providerId().equals(keyNamespace)
          || !Arrays.equals(edk.providerInfo(), keyNameBytes)) {
        continue;
      }
      // One outcome for a padding error and a key of the wrong length, on purpose: telling them
      // apart would be a padding oracle (Bleichenbacher) for PKCS#1 v1.5.
      byte[] dataKey = null;
      try {
        dataKey = cipher(Cipher.DECRYPT_MODE, privateKey).doFinal(edk.ciphertext());
      } catch (GeneralSecurityException e) {
        dataKey = null;
      }
      if (dataKey != null && dataKey.length == materials.algorithmSuite().dataKeyLength()) {
        try {
          return materials.withPlaintextDataKey(dataKey);
        } finally {
          Arrays.fill(dataKey, (byte) 0);
        }
      }
      if (dataKey != null) {
        Arrays.fill(dataKey, (byte) 0);
      }
      failures.add(failure("RSA unwrapping failed (wrong key, padding or data key)", null));
    }
    NoDecryptableKeyException e =
        new NoDecryptableKeyException(
            "raw RSA key '"
                + keyNamespace
                + "/"
                + keyName
                + "' could not unwrap any encrypted data key");
    if (failures.isEmpty()) {
      e.addSuppressed(failure("no encrypted data key names this key", null));
    }
    failures.forEach(e::addSuppressed);
    throw e;
  }

  private DataKeyUnwrapException failure(String reason, Throwable cause) {
    return new DataKeyUnwrapException(keyNamespace, keyName, null, reason, cause);
  }

  @Override
  public String toString() {
    return "RawRsaKeyring{" + keyNamespace + "/" + keyName + ", " + padding + "}";
  }

  /** Configures a {@link RawRsaKeyring}. Not thread-safe. */
  public static final class Builder {
    private String keyNamespace;
    private String keyName;
    private RsaPadding padding;
    private PublicKey publicKey;
    private PrivateKey privateKey;

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

    /** The padding; required, as in the ESDK (there is no safe default for interop). */
    public Builder padding(RsaPadding padding) {
      this.padding = Objects.requireNonNull(padding, "padding");
      return this;
    }

    /** The RSA public key to wrap with; needed to encrypt. */
    public Builder publicKey(PublicKey publicKey) {
      this.publicKey = requireRsa(publicKey, "publicKey");
      return this;
    }

    /** The RSA private key to unwrap with; needed to decrypt. */
    public Builder privateKey(PrivateKey privateKey) {
      this.privateKey = requireRsa(privateKey, "privateKey");
      return this;
    }

    /**
     * The RSA public key to wrap with, as PEM text: an X.509 SubjectPublicKeyInfo block ({@code
     * -----BEGIN PUBLIC KEY-----}, what {@code openssl rsa -pubout} and the JCA's {@code
     * getEncoded()} write). Same as {@link #publicKey(PublicKey)}.
     *
     * @throws IllegalArgumentException if the text holds no such block or no RSA key; the message
     *     says how to convert other PEM types
     */
    public Builder publicKeyPem(String pem) {
      Objects.requireNonNull(pem, "publicKeyPem");
      return publicKey(PemKeys.rsaPublicKey(pem));
    }

    /**
     * The RSA private key to unwrap with, as PEM text: an unencrypted PKCS #8 PrivateKeyInfo block
     * ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl genpkey} and the JCA's {@code
     * getEncoded()} write). Same as {@link #privateKey(PrivateKey)}.
     *
     * @throws IllegalArgumentException if the text holds no such block or no RSA key; the message
     *     says how to convert a PKCS #1 or encrypted key
     */
    public Builder privateKeyPem(String pem) {
      Objects.requireNonNull(pem, "privateKeyPem");
      return privateKey(PemKeys.rsaPrivateKey(pem));
    }

    private static <K extends java.security.Key> K requireRsa(K key, String what) {
      Objects.requireNonNull(key, what);
      if (!(key instanceof RSAKey)) {
        throw new IllegalArgumentException(what + " must be an RSA key: got " + key.getAlgorithm());
      }
      return key;
    }

    /** Builds the keyring; throws {@link IllegalStateException} naming what is missing. */
    public RawRsaKeyring build() {
      if (keyNamespace == null || keyName == null || padding == null) {
        throw new IllegalStateException(
            "RawRsaKeyring needs keyNamespace(...), keyName(...) and padding(...)");
      }
      if (publicKey == null && privateKey == null) {
        throw new IllegalStateException(
            "RawRsaKeyring needs publicKey(...) to encrypt, privateKey(...) to decrypt, or both");
      }
      Keyrings.checkNamespace(keyNamespace);
      Keyrings.checkLength("keyName", keyName, 0xFFFF);
      return new RawRsaKeyring(this);
    }
  }
}
