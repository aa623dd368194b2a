package dev.mrkenvelope.kmslocal;

/** Command-line entry point of the kms-local jar. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("kms-local: not yet implemented");
  }
}
