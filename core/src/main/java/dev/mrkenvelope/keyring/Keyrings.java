package dev.mrkenvelope.keyring;

import java.nio.charset.StandardCharsets;

/** Checks shared by the raw keyrings' builders. */
final class Keyrings {
  private Keyrings() {}

  static void checkNamespace(String namespace) {
    if (namespace.startsWith("aws-kms")) {
      throw new IllegalArgumentException(
          "keyNamespace '"
              + namespace
              + "' starts with 'aws-kms', which is reserved for the AWS KMS"
              + " keyrings; choose another namespace");
    }
    checkLength("keyNamespace", namespace, 0xFFFF);
  }

  static void checkLength(String what, String s, int max) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    int n = s.getBytes(StandardCharsets.UTF_8).length;
    if (n > max) {
      throw new IllegalArgumentException(
          what + " is " + n + " UTF-8 bytes; at most " + max + " fit");
    }
  }
}
