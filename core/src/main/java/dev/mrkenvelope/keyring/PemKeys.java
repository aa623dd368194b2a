package dev.mrkenvelope.keyring;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads RSA keys from PEM text, the forms the ESDK's raw RSA keyring loads: an X.509
 * SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}) and an unencrypted PKCS #8
 * PrivateKeyInfo ({@code -----BEGIN PRIVATE KEY-----}). Other PEM types get an error that says how
 * to convert them.
 */
final class PemKeys {
  private static final String PUBLIC = "PUBLIC KEY";
  private static final String PRIVATE = "PRIVATE KEY";

  private PemKeys() {}

  /** Parses an X.509 SubjectPublicKeyInfo PEM holding an RSA public key. */
  static PublicKey rsaPublicKey(String pem) {
    byte[] der = body(pem, PUBLIC, "publicKeyPem");
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException(
          "publicKeyPem is not an RSA SubjectPublicKeyInfo: " + e.getMessage(), e);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** Parses an unencrypted PKCS #8 PEM holding an RSA private key. */
  static PrivateKey rsaPrivateKey(String pem) {
    byte[] der = body(pem, PRIVATE, "privateKeyPem");
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | ClassCastException e) {
      // The JCA message may describe the key's structure, never its secret values.
      throw new IllegalArgumentException(
          "privateKeyPem is not an RSA PKCS #8 private key: " + e.getMessage(), e);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** The Base64-decoded body of the single PEM block of {@code type}. */
  private static byte[] body(String pem, String type, String setting) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = pem.indexOf(begin);
    int to = from < 0 ? -1 : pem.indexOf(end, from + begin.length());
    if (from < 0 || to < 0) {
      throw new IllegalArgumentException(setting + " " + describe(pem, type));
    }
    String base64 = pem.substring(from + begin.length(), to);
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          setting + " has a " + type + " block whose body is not valid Base64", e);
    }
  }

  /** Says what was found instead of the expected block, and how to convert it. */
  private static String describe(String pem, String type) {
    if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
      return "holds a PKCS #1 'RSA PRIVATE KEY'; convert it to PKCS #8 ('BEGIN PRIVATE KEY'),"
          + " e.g. openssl pkcs8 -topk8 -nocrypt -in key.pem";
    }
    if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      return "holds an encrypted PKCS #8 key; decrypt it to a plain 'BEGIN PRIVATE KEY' first,"
          + " e.g. openssl pkcs8 -in key.pem -out plain.pem";
    }
    if (pem.contains("-----BEGIN RSA PUBLIC KEY-----")) {
      return "holds a PKCS #1 'RSA PUBLIC KEY'; convert it to SubjectPublicKeyInfo ('BEGIN PUBLIC"
          + " KEY'), e.g. openssl rsa -RSAPublicKey_in -in key.pem -pubout";
    }
    return "must contain a '-----BEGIN " + type + "-----' ... '-----END " + type + "-----' block";
  }
}
