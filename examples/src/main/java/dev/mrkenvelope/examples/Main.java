package dev.mrkenvelope.examples;

import java.util.Locale;

/**
 * Entry point of the examples jar: {@code java -jar examples/target/mrk-envelope-examples.jar
 * [scenario]}. Without a scenario it runs the disaster-recovery demo.
 */
public final class Main {
  private static final String USAGE =
      String.join(
          System.lineSeparator(),
          "usage: java -jar examples/target/mrk-envelope-examples.jar [scenario]",
          "",
          "scenarios (all run on kms-local, an in-process three-region KMS; no AWS account needed):",
          "  dr-failover    (default) active-active workload; us-east-1 goes down mid-run; nothing is lost",
          "  active-active  encrypt in us-east-1, decrypt locally in eu-west-1 and ap-southeast-1",
          "  quickstart     a raw-AES round trip: the 20 lines to copy",
          "  kms-quickstart the README's KMS quickstart: router, multi-region key keyring, cache",
          "  cache          KMS calls with and without the data-key cache",
          "  operate        provision, audit, drill, break and re-audit a key set from a spec",
          "  global-signing three regions sign JWTs with one multi-region key while us-east-1 goes down;",
          "                 a verifier elsewhere checks every token with the published JWKS",
          "  --help         this text");

  private Main() {}

  public static void main(String[] args) throws Exception {
    String scenario = args.length == 0 ? "dr-failover" : args[0].toLowerCase(Locale.ROOT);
    switch (scenario) {
      case "dr-failover":
        System.out.println("mrk-envelope disaster-recovery demo");
        exit(DrFailover.run(System.out, 2000, 200, true).failures == 0);
        break;
      case "active-active":
        System.out.println("mrk-envelope active-active demo");
        exit(DrFailover.run(System.out, 1000, 200, false).failures == 0);
        break;
      case "quickstart":
        System.out.println("decrypted: " + Quickstart.run());
        break;
      case "kms-quickstart":
        System.out.println("decrypted: " + KmsQuickstart.run());
        break;
      case "cache":
        CacheScenario.run(System.out, 1000, 100);
        break;
      case "operate":
        System.out.println("mrk-envelope key-set operations demo");
        exit(Operate.run(System.out).repaired().findings().size() == 1);
        break;
      case "global-signing":
        System.out.println("mrk-envelope global signing demo");
        exit(GlobalSigning.run(System.out, 600).failures == 0);
        break;
      case "--help":
      case "-h":
      case "help":
        System.out.println(USAGE);
        break;
      default:
        System.err.println("unknown scenario '" + args[0] + "'");
        System.err.println(USAGE);
        System.exit(2);
    }
  }

  private static void exit(boolean ok) {
    System.exit(ok ? 0 : 1);
  }
}
