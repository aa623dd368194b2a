package dev.mrkenvelope.kmslocal.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The symmetric ciphertext blob kms-local returns from Encrypt and GenerateDataKey.
 *
 * <pre>
 * offset  size  field
 * 0       1     format version, 0x01
 * 1       1     L = length of the key id (1..64)
 * 2       L     bare key id, ASCII (region-free, so every MRK replica recognises it)
 * 2+L     4     key-material version, unsigned big-endian (index into the key's material list)
 * 6+L     12    AES-GCM IV (random)
 * 18+L    n+16  AES-256-GCM ciphertext and 16-byte tag
 * </pre>
 *
 * The AAD is the header (bytes 0 .. 6+L) followed by the canonical encryption context: u32 pair
 * count, then for each pair sorted by the unsigned UTF-8 bytes of its key, u32 key length, key
 * bytes, u32 value length, value bytes. Length prefixes make the encoding unambiguous ({"ab":"c"}
 * and {"a":"bc"} differ), unlike the plain concatenation other emulators use.
 *
 * <p>Stateless and thread-safe: each thread has its own {@link Cipher}.
 */
final class CiphertextBlob {
  static final int VERSION = 1;
  static final int IV_LENGTH = 12;
  static final int TAG_BITS = 128;
  private static final int MAX_KEY_ID = 64;

  private static final ThreadLocal<Cipher> GCM =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES/GCM/NoPadding is missing from this JDK", e);
            }
          });

  /** The parsed, still encrypted blob. */
  public static final class Parsed {
    private final String keyId;
    private final int materialVersion;
    private final byte[] blob;
    private final int headerLength;

    private Parsed(String keyId, int materialVersion, byte[] blob, int headerLength) {
      this.keyId = keyId;
      this.materialVersion = materialVersion;
      this.blob = blob;
      this.headerLength = headerLength;
    }

    public String keyId() {
      return keyId;
    }

    public int materialVersion() {
      return materialVersion;
    }

    /** Decrypts and authenticates; any failure is an {@code InvalidCiphertextException}. */
    public byte[] decrypt(SecretKey key, Map<String, String> context) {
      try {
        Cipher c = GCM.get();
        c.init(
            Cipher.DECRYPT_MODE,
            key,
            new GCMParameterSpec(TAG_BITS, blob, headerLength, IV_LENGTH));
        c.updateAAD(blob, 0, headerLength);
        c.updateAAD(canonicalContext(context));
        int off = headerLength + IV_LENGTH;
        return c.doFinal(blob, off, blob.length - off);
      } catch (GeneralSecurityException e) {
        throw KmsError.invalidCiphertext();
      }
    }
  }

  private CiphertextBlob() {}

  /** Parses the header; every length is checked against what remains before it is used. */
  public static Parsed parse(byte[] blob) {
    if (blob.length < 2 || (blob[0] & 0xff) != VERSION) {
      throw KmsError.invalidCiphertext();
    }
    int idLen = blob[1] & 0xff;
    if (idLen == 0
        || idLen > MAX_KEY_ID
        || blob.length < 2 + idLen + 4 + IV_LENGTH + TAG_BITS / 8) {
      throw KmsError.invalidCiphertext();
    }
    String keyId = new String(blob, 2, idLen, StandardCharsets.US_ASCII);
    int version = ByteBuffer.wrap(blob, 2 + idLen, 4).getInt();
    if (version < 0) {
      throw KmsError.invalidCiphertext();
    }
    return new Parsed(keyId, version, blob, 2 + idLen + 4);
  }

  /** Encrypts {@code plaintext} under one material version of {@code keyId}. */
  public static byte[] encrypt(
      String keyId,
      int materialVersion,
      SecretKey key,
      byte[] plaintext,
      Map<String, String> context,
      SecureRandom random) {
    byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
    if (id.length == 0 || id.length > MAX_KEY_ID) {
      throw new IllegalArgumentException("key id must have 1-64 ASCII characters: " + keyId);
    }
    int header = 2 + id.length + 4;
    byte[] out = new byte[header + IV_LENGTH + plaintext.length + TAG_BITS / 8];
    out[0] = (byte) VERSION;
    out[1] = (byte) id.length;
    System.arraycopy(id, 0, out, 2, id.length);
    ByteBuffer.wrap(out, 2 + id.length, 4).putInt(materialVersion);
    byte[] iv = new byte[IV_LENGTH];
    random.nextBytes(iv);
    System.arraycopy(iv, 0, out, header, IV_LENGTH);
    try {
      Cipher c = GCM.get();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(out, 0, header);
      c.updateAAD(canonicalContext(context));
      c.doFinal(plaintext, 0, plaintext.length, out, header + IV_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return out;
  }

  /** The canonical, length-prefixed serialization of an encryption context (see class doc). */
  static byte[] canonicalContext(Map<String, String> context) {
    if (context.isEmpty()) {
      return new byte[4];
    }
    List<byte[][]> pairs = new ArrayList<>(context.size());
    int size = 4;
    for (Map.Entry<String, String> e : context.entrySet()) {
      byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
      pairs.add(new byte[][] {k, v});
      size += 8 + k.length + v.length;
    }
    pairs.sort((a, b) -> java.util.Arrays.compareUnsigned(a[0], b[0]));
    ByteBuffer buf = ByteBuffer.allocate(size);
    buf.putInt(pairs.size());
    for (byte[][] p : pairs) {
      buf.putInt(p[0].length).put(p[0]).putInt(p[1].length).put(p[1]);
    }
    return buf.array();
  }
}
