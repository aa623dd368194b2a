package dev.mrkenvelope.kmslocal;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of the kms-local jar: starts a {@link LocalKms}, prints each Region's endpoint
 * and serves until the process is stopped (Ctrl-C).
 *
 * <pre>
 * java -jar kms-local/target/mrk-envelope-kms-local.jar --regions us-east-1,eu-west-1 [--port-base 4566] [--account 111122223333]
 * </pre>
 *
 * Not instantiable; thread safety is that of {@link LocalKms}.
 */
public final class Main {
  static final String USAGE =
      "Usage: java -jar mrk-envelope-kms-local.jar --regions <r1,r2,...> [--port-base <n>]"
          + " [--account <12 digits>]\n"
          + "  --regions    Regions to serve, comma-separated, e.g. us-east-1,eu-west-1 (required)\n"
          + "  --port-base  fixed ports: the i-th Region listens on n+i (default: ephemeral ports)\n"
          + "  --account    account id owning every key (default 111122223333)\n"
          + "  --help       print this help\n"
          + "Each Region listens on 127.0.0.1; point an SDK client at it with endpointOverride and\n"
          + "any static credentials. Stop with Ctrl-C.";

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    LocalKms kms;
    try {
      LocalKms.Builder b = parse(Arrays.asList(args), System.out);
      if (b == null) {
        return;
      }
      kms = b.start();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("kms-local: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(kms::close, "kms-local-shutdown"));
    printEndpoints(kms, System.out);
    new CountDownLatch(1).await(); // serve until the JVM is stopped
  }

  static void printEndpoints(LocalKms kms, PrintStream out) {
    out.println("kms-local serving account " + kms.account() + ":");
    for (String r : kms.regions()) {
      out.println("  " + r + " " + kms.endpoint(r));
    }
    out.flush();
  }

  /** Parses the arguments; null after printing help. Bad arguments throw IAE naming the fix. */
  static LocalKms.Builder parse(List<String> args, PrintStream out) {
    LocalKms.Builder b = LocalKms.builder();
    boolean regions = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--help") || a.equals("-h")) {
        out.println(USAGE);
        return null;
      }
      String value;
      int eq = a.indexOf('=');
      String name = eq > 0 ? a.substring(0, eq) : a;
      if (eq > 0) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      switch (name) {
        case "--regions":
          b.regions(Arrays.asList(value.split(",")));
          regions = true;
          break;
        case "--port-base":
          try {
            b.portBase(Integer.parseInt(value));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port-base must be a number: " + value, e);
          }
          break;
        case "--account":
          b.account(value);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (!regions) {
      throw new IllegalArgumentException(
          "--regions is required, e.g. --regions us-east-1,eu-west-1");
    }
    return b;
  }
}
