package dev.mrkenvelope.cli;

import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code --from-raw-aes-key NAMESPACE:NAME:KEYFILE}: a raw AES wrapping key (16, 24 or 32 bytes in
 * the file), for data that was encrypted without KMS, and for tests. The key is read from a file so
 * that it never appears in a process listing.
 */
final class RawKeySpec {
  private RawKeySpec() {}

  static Keyring keyring(String spec) {
    String[] parts = spec.split(":", 3);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new UsageException(
          "--from-raw-aes-key '"
              + spec
              + "' is not NAMESPACE:NAME:KEYFILE"
              + " (the key provider namespace and name the messages were written with, and a file"
              + " holding the 16, 24 or 32 key bytes)");
    }
    byte[] key;
    try {
      key = Files.readAllBytes(Path.of(parts[2]));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the raw AES key file " + parts[2], e);
    }
    try {
      return RawAesKeyring.builder()
          .keyNamespace(parts[0])
          .keyName(parts[1])
          .wrappingKey(key)
          .build();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--from-raw-aes-key: " + e.getMessage());
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }
}
