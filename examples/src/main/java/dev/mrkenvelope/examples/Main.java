package dev.mrkenvelope.examples;

import java.util.Locale;

/**
 * Entry point of the examples jar: {@code java -jar examples/target/mrk-envelope-examples.jar
 * [scenario]}. Without a scenario it runs the disaster-recovery demo.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    String scenario = args.length == 0 ? "dr-demo" : args[0].toLowerCase(Locale.ROOT);
    switch (scenario) {
      case "quickstart":
        System.out.println("decrypted: " + Quickstart.run());
        break;
      case "dr-demo":
        // The full DR demo needs the KMS keyrings; until they land, show the format round trip.
        System.out.println("decrypted: " + Quickstart.run());
        break;
      case "--help":
      case "-h":
      case "help":
        System.out.println("usage: java -jar mrk-envelope-examples.jar [quickstart|--help]");
        break;
      default:
        System.err.println("unknown scenario '" + args[0] + "'; run with --help to list them");
        System.exit(2);
    }
  }
}
