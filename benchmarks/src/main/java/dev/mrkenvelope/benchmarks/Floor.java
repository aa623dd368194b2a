package dev.mrkenvelope.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The floor: the cryptography an ESDK v2 message (suites 0x0478/0x0578) cannot do without, on raw
 * JCA with every {@link Cipher}, {@link Mac} and {@link Signature} reused, and nothing else.
 *
 * <p>Per message, {@link #seal}: a random 32-byte message ID and 32-byte data key; HKDF-SHA512
 * extract once and expand twice (the AES key and the commit key); the header tag (AES-256-GCM over
 * an empty plaintext, zero IV, AAD = the header body, §2.5); one AES-256-GCM per frame with the
 * real IV and body AAD ({@code messageId ‖ label ‖ u32 seq ‖ u64 len}, §3.3, §3.4) into the real
 * frame layout (§3.1); for 0x0578 a fresh P-384 key pair and a SHA384withECDSA signature over the
 * header and body (§4.1). {@link #open} re-derives both keys, compares the commit key in constant
 * time, checks the header tag, decrypts every frame and, for 0x0578, verifies the signature.
 *
 * <p>The header is a copy of a real message's header (same length, so the frames, the AAD and the
 * signature cover exactly as many bytes as the library's), with the fresh message ID and commit key
 * written into it. Left out, because they are not the format's cryptography: wrapping and
 * unwrapping the data key (the keyring's job), encryption-context serialization, header parsing
 * beyond fixed offsets, and compressing/decompressing the signature public key into the context.
 *
 * <p>{@link #sealWrapped}/{@link #openWrapped} add what a raw AES keyring must do on top: wrap the
 * data key with AES-256-GCM under the wrapping key (random IV, the serialized encryption context as
 * AAD) and unwrap it again, on a {@link Cipher} of its own so that the message key's cipher keeps
 * its key schedule. That is the fair floor for a library round trip with a raw AES keyring; the
 * plain {@link #seal}/{@link #open} is the format alone.
 *
 * <p>Not thread-safe: one per benchmark thread.
 */
final class Floor {
  private static final byte[] DERIVEKEY = ascii("DERIVEKEY");
  private static final byte[] COMMITKEY = ascii("COMMITKEY");
  private static final byte[] FRAME_LABEL = ascii("AWSKMSEncryptionClient Frame");
  private static final byte[] FINAL_LABEL = ascii("AWSKMSEncryptionClient Final Frame");
  private static final byte[] ZERO_IV = new byte[12];
  private static final int MAX_SIGNATURE = 104;

  private final SecureRandom random = new SecureRandom();
  private final Mac hmac;
  private final Cipher gcm;
  private final Signature ecdsa;
  private final KeyPairGenerator keyPairs;

  private final byte[] headerTemplate; // header body up to and including the suite data
  private final int bodyLength; // header body length (without the tag)
  private final int frameLength;
  private final byte[] encInfo;
  private final byte[] frameAad;
  private final byte[] finalAad;
  private final byte[] empty = new byte[0];

  private final Cipher wrapGcm;
  private final SecretKeySpec wrappingKey;
  private final byte[] contextAad;
  private final byte[] wrapIv = new byte[12];

  /** The data key of the last {@link #sealWrapped}, wrapped: ciphertext ‖ tag. */
  private final byte[] wrappedKey = new byte[32 + 16];

  /** Per message, as a keyring would hand them over: the data key and the verification key. */
  byte[] dataKey;

  PublicKey verificationKey;

  /** The last sealed message is {@code message[0, messageLength)}. */
  byte[] message;

  int messageLength;

  /**
   * @param realHeader a complete header (body and tag) of a message written by the library under
   *     test with the same suite, keyring, context and frame length
   */
  Floor(
      byte[] realHeader,
      int frameLength,
      boolean signing,
      byte[] wrappingKey,
      java.util.Map<String, String> context)
      throws GeneralSecurityException {
    this.hmac = Mac.getInstance("HmacSHA512");
    this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
    this.wrapGcm = Cipher.getInstance("AES/GCM/NoPadding");
    this.wrappingKey = new SecretKeySpec(wrappingKey, "AES");
    this.contextAad = serialize(context);
    if (signing) {
      this.ecdsa = Signature.getInstance("SHA384withECDSA");
      this.keyPairs = KeyPairGenerator.getInstance("EC");
      keyPairs.initialize(new ECGenParameterSpec("secp384r1"), random);
    } else {
      this.ecdsa = null;
      this.keyPairs = null;
    }
    this.bodyLength = realHeader.length - 16;
    this.headerTemplate = java.util.Arrays.copyOf(realHeader, bodyLength);
    this.frameLength = frameLength;
    this.encInfo = new byte[2 + DERIVEKEY.length];
    encInfo[0] = realHeader[1]; // suite ID, big-endian, as in the header
    encInfo[1] = realHeader[2];
    System.arraycopy(DERIVEKEY, 0, encInfo, 2, DERIVEKEY.length);
    this.frameAad = new byte[32 + FRAME_LABEL.length + 12];
    System.arraycopy(FRAME_LABEL, 0, frameAad, 32, FRAME_LABEL.length);
    putU64(frameAad, 32 + FRAME_LABEL.length + 4, frameLength);
    this.finalAad = new byte[32 + FINAL_LABEL.length + 12];
    System.arraycopy(FINAL_LABEL, 0, finalAad, 32, FINAL_LABEL.length);
  }

  /** Encrypts {@code plaintext} into {@link #message}; returns the message length. */
  int seal(byte[] plaintext) throws GeneralSecurityException {
    byte[] messageId = new byte[32];
    random.nextBytes(messageId);
    byte[] key = new byte[32];
    random.nextBytes(key);
    dataKey = key;

    byte[] okm = derive(messageId, key);
    SecretKeySpec encKey = new SecretKeySpec(okm, 0, 32, "AES");

    int len = plaintext.length;
    int regular = len == 0 ? 0 : (len - 1) / frameLength; // a full last chunk is the final frame
    int finalLength = len - regular * frameLength;
    int total =
        bodyLength
            + 16
            + regular * (32 + frameLength)
            + 40
            + finalLength
            + (keyPairs != null ? 2 + MAX_SIGNATURE : 0);
    byte[] out = new byte[total];

    // Header: the template with this message's ID and commit key, then the tag.
    System.arraycopy(headerTemplate, 0, out, 0, bodyLength);
    System.arraycopy(messageId, 0, out, 3, 32);
    System.arraycopy(okm, 64, out, bodyLength - 32, 32);
    gcm.init(Cipher.ENCRYPT_MODE, encKey, new GCMParameterSpec(128, ZERO_IV));
    gcm.updateAAD(out, 0, bodyLength);
    gcm.doFinal(empty, 0, 0, out, bodyLength);

    // Body.
    System.arraycopy(messageId, 0, frameAad, 0, 32);
    System.arraycopy(messageId, 0, finalAad, 0, 32);
    int p = bodyLength + 16;
    int in = 0;
    int seq = 1;
    for (; seq <= regular; seq++) {
      putU32(out, p, seq);
      putU32(out, p + 12, seq); // IV = 0^8 ‖ u32 seq, at p + 4
      putU32(frameAad, 32 + FRAME_LABEL.length, seq);
      gcm.init(Cipher.ENCRYPT_MODE, encKey, new GCMParameterSpec(128, out, p + 4, 12));
      gcm.updateAAD(frameAad);
      p += 16;
      p += gcm.doFinal(plaintext, in, frameLength, out, p);
      in += frameLength;
    }
    putU32(out, p, 0xFFFFFFFF);
    putU32(out, p + 4, seq);
    putU32(out, p + 16, seq); // IV at p + 8
    putU32(out, p + 20, finalLength);
    putU32(finalAad, 32 + FINAL_LABEL.length, seq);
    putU64(finalAad, 32 + FINAL_LABEL.length + 4, finalLength);
    gcm.init(Cipher.ENCRYPT_MODE, encKey, new GCMParameterSpec(128, out, p + 8, 12));
    gcm.updateAAD(finalAad);
    p += 24;
    p += gcm.doFinal(plaintext, in, finalLength, out, p);

    if (keyPairs != null) {
      KeyPair kp = keyPairs.generateKeyPair();
      verificationKey = kp.getPublic();
      ecdsa.initSign(kp.getPrivate());
      ecdsa.update(out, 0, p);
      int n = ecdsa.sign(out, p + 2, MAX_SIGNATURE);
      out[p] = (byte) (n >>> 8);
      out[p + 1] = (byte) n;
      p += 2 + n;
    }
    message = out;
    messageLength = p;
    return p;
  }

  /** {@link #seal}, plus wrapping the data key as a raw AES keyring does. */
  int sealWrapped(byte[] plaintext) throws GeneralSecurityException {
    int n = seal(plaintext);
    wrap();
    return n;
  }

  /**
   * Wraps the current data key as a raw AES keyring does (fresh IV, the context as AAD).
   *
   * @return the wrapped key (reused between calls)
   */
  byte[] wrap() throws GeneralSecurityException {
    random.nextBytes(wrapIv);
    wrapGcm.init(Cipher.ENCRYPT_MODE, wrappingKey, new GCMParameterSpec(128, wrapIv));
    wrapGcm.updateAAD(contextAad);
    wrapGcm.doFinal(dataKey, 0, 32, wrappedKey, 0);
    return wrappedKey;
  }

  /** Unwraps the data key of the last {@link #wrap}. */
  byte[] unwrap() throws GeneralSecurityException {
    wrapGcm.init(Cipher.DECRYPT_MODE, wrappingKey, new GCMParameterSpec(128, wrapIv));
    wrapGcm.updateAAD(contextAad);
    return wrapGcm.doFinal(wrappedKey, 0, wrappedKey.length);
  }

  /** Unwraps the data key of the last {@link #sealWrapped}, then {@link #open}s the message. */
  byte[] openWrapped(byte[] msg, int length, PublicKey verifier) throws GeneralSecurityException {
    return open(msg, length, unwrap(), verifier);
  }

  /** The ESDK's encryption-context serialization (pairs sorted by key), the wrap's AAD. */
  private static byte[] serialize(java.util.Map<String, String> context) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(context.size() >>> 8);
    out.write(context.size());
    for (String k : new java.util.TreeSet<>(context.keySet())) {
      for (byte[] b : new byte[][] {ascii(k), ascii(context.get(k))}) {
        out.write(b.length >>> 8);
        out.write(b.length);
        out.write(b, 0, b.length);
      }
    }
    return out.toByteArray();
  }

  /**
   * Decrypts {@code msg[0, length)} with the data key (and verification key) it was sealed with.
   */
  byte[] open(byte[] msg, int length, byte[] key, PublicKey verifier)
      throws GeneralSecurityException {
    byte[] messageId = new byte[32];
    System.arraycopy(msg, 3, messageId, 0, 32);
    byte[] okm = derive(messageId, key);
    int diff = 0; // constant-time commit key comparison
    for (int i = 0; i < 32; i++) {
      diff |= okm[64 + i] ^ msg[bodyLength - 32 + i];
    }
    if (diff != 0) {
      throw new GeneralSecurityException("key commitment mismatch");
    }
    SecretKeySpec encKey = new SecretKeySpec(okm, 0, 32, "AES");
    gcm.init(Cipher.DECRYPT_MODE, encKey, new GCMParameterSpec(128, ZERO_IV));
    gcm.updateAAD(msg, 0, bodyLength);
    gcm.doFinal(msg, bodyLength, 16, empty, 0);

    // Walk the frames for the plaintext length, then decrypt them.
    int start = bodyLength + 16;
    int p = start;
    int plaintextLength = 0;
    while (u32(msg, p) != 0xFFFFFFFF) {
      p += 32 + frameLength;
      plaintextLength += frameLength;
    }
    int finalLength = u32(msg, p + 20);
    plaintextLength += finalLength;
    int bodyEnd = p + 24 + finalLength + 16;

    byte[] out = new byte[plaintextLength];
    System.arraycopy(messageId, 0, frameAad, 0, 32);
    System.arraycopy(messageId, 0, finalAad, 0, 32);
    p = start;
    int o = 0;
    int seq = 1;
    while (u32(msg, p) != 0xFFFFFFFF) {
      putU32(frameAad, 32 + FRAME_LABEL.length, seq);
      gcm.init(Cipher.DECRYPT_MODE, encKey, new GCMParameterSpec(128, msg, p + 4, 12));
      gcm.updateAAD(frameAad);
      o += gcm.doFinal(msg, p + 16, frameLength + 16, out, o);
      p += 32 + frameLength;
      seq++;
    }
    putU32(finalAad, 32 + FINAL_LABEL.length, seq);
    putU64(finalAad, 32 + FINAL_LABEL.length + 4, finalLength);
    gcm.init(Cipher.DECRYPT_MODE, encKey, new GCMParameterSpec(128, msg, p + 8, 12));
    gcm.updateAAD(finalAad);
    gcm.doFinal(msg, p + 24, finalLength + 16, out, o);

    if (ecdsa != null) {
      int sigLength = ((msg[bodyEnd] & 0xFF) << 8) | (msg[bodyEnd + 1] & 0xFF);
      ecdsa.initVerify(verifier);
      ecdsa.update(msg, 0, bodyEnd);
      if (!ecdsa.verify(msg, bodyEnd + 2, sigLength)) {
        throw new GeneralSecurityException("bad signature");
      }
    } else if (bodyEnd != length) {
      throw new GeneralSecurityException("trailing bytes");
    }
    return out;
  }

  /**
   * HKDF-SHA512: {@code PRK = HMAC(messageId, dataKey)}, then one expand block for the AES key
   * (bytes 0..32 of the result) and one for the commit key (bytes 64..96). 32 bytes need only the
   * first block of each expand.
   */
  private byte[] derive(byte[] messageId, byte[] key) throws GeneralSecurityException {
    hmac.init(new SecretKeySpec(messageId, "HmacSHA512"));
    byte[] prk = hmac.doFinal(key);
    hmac.init(new SecretKeySpec(prk, "HmacSHA512"));
    byte[] okm = new byte[128];
    hmac.update(encInfo);
    hmac.update((byte) 1);
    hmac.doFinal(okm, 0);
    hmac.update(COMMITKEY);
    hmac.update((byte) 1);
    hmac.doFinal(okm, 64);
    return okm;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void putU32(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  private static void putU64(byte[] b, int p, long v) {
    putU32(b, p, (int) (v >>> 32));
    putU32(b, p + 4, (int) v);
  }

  private static int u32(byte[] b, int p) {
    return ((b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  /** The length of the header (body and tag) of a v2 message: walks fields 1 to 11 (§2.1). */
  static int v2HeaderLength(byte[] msg) {
    if (msg[0] != 2) {
      throw new IllegalArgumentException("not a v2 message");
    }
    int p = 35;
    p += 2 + u16(msg, p); // EC
    int edks = u16(msg, p);
    p += 2;
    for (int i = 0; i < edks; i++) {
      for (int f = 0; f < 3; f++) {
        p += 2 + u16(msg, p);
      }
    }
    return p + 1 + 4 + 32 + 16;
  }

  private static int u16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }
}
