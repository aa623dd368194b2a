package dev.mrkenvelope.examples;

import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;

/**
 * The smallest useful program: a raw-AES round trip, the README's first quickstart (the part
 * between the snippet markers is the README's code, checked by {@code ReadmeSnippetsTest}).
 */
public final class Quickstart {
  private Quickstart() {}

  /** Encrypts and decrypts one message; returns the decrypted text. */
  public static String run() {
    byte[] wrappingKey = new byte[32]; // in production: from your secret store or KMS
    new SecureRandom().nextBytes(wrappingKey);

    byte[] plaintext = "hello, multi-region world".getBytes(StandardCharsets.UTF_8);
    // snippet-start quickstart
    Keyring keyring =
        RawAesKeyring.builder()
            .keyNamespace("my-app")
            .keyName("2026-key")
            .wrappingKey(wrappingKey) // 32 bytes from your secret store
            .build();
    EnvelopeClient client =
        EnvelopeClient.builder().keyring(keyring).build(); // immutable, share it

    EncryptResult encrypted = client.encrypt(plaintext, Map.of("tenant", "acme"));
    DecryptResult decrypted = client.decrypt(encrypted.ciphertext());
    // snippet-end quickstart

    if (!"acme".equals(decrypted.encryptionContext().get("tenant"))) {
      throw new IllegalStateException("unexpected encryption context");
    }
    System.out.printf(
        "encrypted %d bytes into a %d-byte message with %s%n",
        plaintext.length, encrypted.ciphertext().length, encrypted.algorithmSuite());
    return new String(decrypted.plaintext(), StandardCharsets.UTF_8);
  }
}
