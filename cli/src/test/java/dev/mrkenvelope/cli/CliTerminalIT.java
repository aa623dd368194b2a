package dev.mrkenvelope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real terminal (a tmux pane) the CLI draws the progress bar, not log lines. Skipped, with a
 * message, where tmux is not installed (e.g. {@code apt-get install tmux} enables it); the
 * rendering itself is checked on every build by {@link ProgressRenderingTest} and the non-terminal
 * fallback by {@link CliFilesIT}.
 */
class CliTerminalIT {
  static CliKit kit;
  static String mrk;

  @BeforeAll
  static void start() {
    kit = new CliKit();
    mrk = kit.kms.keyArn(CliKit.EAST, kit.kms.createMultiRegionKey(CliKit.EAST, CliKit.WEST));
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static boolean tmuxInstalled() {
    try {
      Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Test
  void onATerminal_autoProgressDrawsTheBar(@TempDir Path dir) throws Exception {
    assumeTrue(
        tmuxInstalled(),
        "tmux is not installed: the terminal progress-bar test is skipped"
            + " (install tmux to run it; ProgressRenderingTest still checks the bar's rendering)");
    Files.write(dir.resolve("t.bin"), new byte[4 << 20]);
    List<String> cmd = new ArrayList<>();
    for (Map.Entry<String, String> e : CliKit.environment(dir).entrySet()) {
      cmd.add(e.getKey() + "=" + quote(e.getValue()));
    }
    for (String part : CliKit.javaCommand(List.of())) {
      cmd.add(quote(part));
    }
    for (String part : List.of("encrypt", "--key", mrk, "--frame-length", "1024", "t.bin")) {
      cmd.add(quote(part));
    }
    for (String part : kit.endpoints()) {
      cmd.add(quote(part));
    }
    String shell =
        "cd "
            + quote(dir.toString())
            + " && env "
            + String.join(" ", cmd)
            + "; echo EXIT=$?; sleep 120";
    String socket = "mrk-envelope-it-" + ProcessHandle.current().pid();
    try {
      tmux(socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "20", shell);
      String pane = "";
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (System.nanoTime() < deadline && !pane.contains("EXIT=")) {
        Thread.sleep(250);
        pane = tmux(socket, "capture-pane", "-p");
      }
      assertThat(pane).as(pane).contains("EXIT=0");
      assertThat(pane).contains("encrypt").contains("100%").contains("1/1 files").contains("MiB");
      assertThat(pane).doesNotContain("encrypt done:"); // the log-line rendering
      assertThat(dir.resolve("t.bin.encrypted")).exists();
    } finally {
      tmux(socket, "kill-server");
    }
  }

  private static String tmux(String socket, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    p.waitFor(30, TimeUnit.SECONDS);
    return new String(out, StandardCharsets.UTF_8);
  }
}
