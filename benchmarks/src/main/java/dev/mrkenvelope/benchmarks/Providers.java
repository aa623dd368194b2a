package dev.mrkenvelope.benchmarks;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.GeneralSecurityException;
import java.security.Security;
import javax.crypto.Cipher;

/** Chooses the JCA provider set of a benchmark fork: the JDK's own, or ACCP installed first. */
final class Providers {
  static final String ACCP_NAME = "AmazonCorrettoCryptoProvider";

  private Providers() {}

  /** What the README tells users to do: install ACCP where it loads, else keep the JDK's. */
  static void installIfAvailable() {
    // snippet-start accp-install
    // Once at start-up, before the first encrypt or decrypt.
    if (AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null) {
      AmazonCorrettoCryptoProvider.install();
    }
    // snippet-end accp-install
  }

  /**
   * "JCA" checks that ACCP is absent; "ACCP" installs it at position 1 and checks that it serves
   * AES-GCM, so a row labelled ACCP cannot silently run on the JDK's providers.
   */
  static void use(String provider) {
    try {
      switch (provider) {
        case "JCA":
          HotPathBenchmark.check(Security.getProvider(ACCP_NAME) == null, "JCA fork without ACCP");
          break;
        case "ACCP":
          Throwable loading = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
          if (loading != null) {
            throw new IllegalStateException(
                "ACCP cannot load on this platform; run with -p provider=JCA", loading);
          }
          AmazonCorrettoCryptoProvider.install();
          AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
          HotPathBenchmark.check(
              Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName().equals(ACCP_NAME),
              "ACCP serves AES-GCM");
          break;
        default:
          throw new IllegalArgumentException("provider must be JCA or ACCP: " + provider);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
