package dev.mrkenvelope.keyring;

/**
 * The RSA padding schemes of the ESDK's raw RSA keyring. For OAEP, MGF1 uses the same hash as OAEP
 * (the JCA's {@code OAEPWith<hash>AndMGF1Padding} names would use MGF1-SHA1 instead, and break
 * interoperability).
 */
public enum RsaPadding {
  PKCS1("RSA/ECB/PKCS1Padding", null),
  OAEP_SHA1_MGF1("RSA/ECB/OAEPPadding", "SHA-1"),
  OAEP_SHA256_MGF1("RSA/ECB/OAEPPadding", "SHA-256"),
  OAEP_SHA384_MGF1("RSA/ECB/OAEPPadding", "SHA-384"),
  OAEP_SHA512_MGF1("RSA/ECB/OAEPPadding", "SHA-512");

  final String transformation;
  final String hash;

  RsaPadding(String transformation, String hash) {
    this.transformation = transformation;
    this.hash = hash;
  }
}
