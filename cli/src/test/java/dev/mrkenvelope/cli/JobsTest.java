package dev.mrkenvelope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsTest {
  @Test
  void file_resultSitsBesideItWithTheSuffix(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("a.txt"), "x");
    assertThat(Jobs.plan(List.of(f.toString()), null, ".encrypted"))
        .containsExactly(new Job(f, dir.resolve("a.txt.encrypted"), 1));
  }

  @Test
  void directory_keepsRelativePathsUnderOutput(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in/x/y"));
    Files.writeString(in.resolve("deep"), "12");
    Files.writeString(dir.resolve("in/top"), "");
    Path out = dir.resolve("out");
    assertThat(Jobs.plan(List.of(dir.resolve("in").toString()), out.toString(), ".enc"))
        .extracting(Job::target)
        .containsExactly(out.resolve("top.enc"), out.resolve("x/y/deep.enc"));
  }

  @Test
  void directoryWithoutOutput_orOutputInsideIt_isAUsageError(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    assertThatThrownBy(() -> Jobs.plan(List.of(in.toString()), null, ".e"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--output DIR");
    assertThatThrownBy(() -> Jobs.plan(List.of(in.toString()), in.resolve("out").toString(), ".e"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("inside the input directory");
  }

  @Test
  void stdin_goesToStdoutUnlessOutputNamesAFile(@TempDir Path dir) {
    assertThat(Jobs.plan(List.of("-"), null, ".e")).containsExactly(new Job(null, null, -1));
    Path f = dir.resolve("o");
    assertThat(Jobs.plan(List.of("-"), f.toString(), ".e")).containsExactly(new Job(null, f, -1));
    assertThatThrownBy(() -> Jobs.plan(List.of("-", "x"), null, ".e"))
        .isInstanceOf(UsageException.class);
  }
}
