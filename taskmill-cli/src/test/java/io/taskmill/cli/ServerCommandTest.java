package io.taskmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S7 of docs/server.md: a server that would run without authentication does not start; it exits
 * non-zero at once with a message that says what to do instead.
 */
class ServerCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var cli = TaskmillCli.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void refusesToStartWithAuthenticationTurnedOff() throws Exception {
    Path yaml = Files.writeString(dir.resolve("taskmill.yaml"), "auth: false\n");
    int code =
        run(
            "server",
            "--config",
            yaml.toString(),
            "--log-format",
            "text",
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(code).isNotZero();
    assertThat(err.toString())
        .contains("authentication cannot be turned off")
        .contains("--insecure-dev");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void refusesInsecureDevModeOnAnAddressOthersCanReach() {
    int code =
        run(
            "server",
            "--insecure-dev",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--log-format",
            "text",
            "--data-dir",
            dir.resolve("data").toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("binds only to a loopback address");
  }

  @Test
  void refusesAnUnknownLogFormat() {
    assertThat(run("server", "--log-format", "xml")).isNotZero();
    assertThat(err.toString()).contains("--log-format must be json or text");
  }
}
