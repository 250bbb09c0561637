package io.taskmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S4 of docs/testing.md, the class-load diff: a server in a child JVM started with {@code
 * -Xlog:class+load} is sent hostile payloads through its API and finds hostile rows planted in its
 * table ({@link HostilePayloadRun}); not one class outside the allow-listed packages is loaded, and
 * nothing the payloads name (rowset gadgets, JNDI, {@code ProcessBuilder}) is, while a baseline run
 * with benign payloads shows the allow-list is what the server really loads. A sanity run proves
 * the log parser sees a forced load of {@code com.sun.rowset.JdbcRowSetImpl}.
 */
class ClassLoadTest {
  /** {@code [0.012s][info][class,load] java.lang.Object source: shared objects file}. */
  private static final Pattern LOADED = Pattern.compile("\\[class,load\\s*\\] (\\S+) source:");

  /**
   * Packages the server may load classes from: the JDK's own, the libraries it ships with, and the
   * test's harness (JUnit is not in the child; Awaitility and AssertJ's types may be). Derived from
   * a baseline run with benign payloads.
   */
  static final List<String> ALLOWED =
      List.of(
          "java.",
          "javax.",
          "jdk.",
          "sun.",
          "com.sun.",
          "org.jcp.xml.dsig.internal.",
          "org.w3c.dom.",
          "org.xml.sax.",
          "io.taskmill.",
          "tools.jackson.",
          "com.fasterxml.jackson.",
          "org.h2.",
          "org.postgresql.",
          "com.zaxxer.hikari.",
          "org.flywaydb.",
          "org.slf4j.",
          "ch.qos.logback.",
          "net.logstash.",
          "org.eclipse.jetty.",
          "io.micrometer.",
          "io.prometheus.",
          "org.snakeyaml.engine.",
          "org.HdrHistogram.",
          "org.LatencyUtils.",
          "org.awaitility.",
          "org.hamcrest.",
          "org.jspecify.",
          "org.checkerframework.");

  /**
   * What a payload names or a JNDI/LDAP/process gadget needs: loaded by no run but the sanity one.
   */
  static final List<String> NEVER =
      List.of(
          "com.sun.rowset.",
          "javax.sql.rowset.",
          "com.sun.jndi.",
          "javax.naming.ldap.",
          "javax.naming.directory.",
          "javax.naming.spi.",
          "javax.naming.InitialContext",
          "java.rmi.server.",
          "sun.rmi.",
          "javax.script.");

  /**
   * Packages gadget chains use: the hostile run loads none of their classes beyond those the
   * baseline loads too (the baseline loads {@code javax.naming.NamingException} and JMX's {@code
   * ClassLoaderRepository} while the libraries start).
   */
  static final List<String> FORBIDDEN =
      List.of(
          "javax.naming.",
          "java.rmi.",
          "javax.management.loading.",
          "org.springframework.",
          "org.apache.commons.collections",
          "groovy.",
          "org.codehaus.groovy.",
          "bsh.",
          "com.mchange.",
          "org.apache.xalan.",
          "com.sun.org.apache.xalan.internal.xsltc.trax.");

  @TempDir Path dir;

  @Test
  void hostilePayloadsLoadNoClassOutsideTheAllowList() throws Exception {
    Set<String> sanity = run("sanity");
    assertThat(sanity)
        .as("the parser sees a forced load")
        .contains("com.sun.rowset.JdbcRowSetImpl");
    assertThat(matching(sanity, NEVER))
        .as("and the check catches it")
        .contains("com.sun.rowset.JdbcRowSetImpl");

    Set<String> baseline = run("benign");
    assertThat(outsideAllowList(baseline))
        .as("the allow-list covers what a benign run loads")
        .isEmpty();
    assertThat(matching(baseline, NEVER)).isEmpty();

    Set<String> hostile = run("hostile");
    assertThat(outsideAllowList(hostile)).as("classes loaded outside the allow-list").isEmpty();
    assertThat(matching(hostile, NEVER)).as("classes the payloads name").isEmpty();
    var gadgetClasses = new TreeSet<>(matching(hostile, FORBIDDEN));
    gadgetClasses.removeAll(baseline);
    assertThat(gadgetClasses).as("gadget-chain classes beyond the baseline's").isEmpty();
    assertThat(baseline)
        .as("a server with benign payloads starts no process")
        .doesNotContain("java.lang.ProcessBuilder");
    assertThat(hostile).doesNotContain("java.lang.ProcessBuilder");
    var extra = new TreeSet<>(hostile);
    extra.removeAll(baseline);
    // For the report: what refusing hostile input costs (exception and problem classes).
    System.out.println(
        "S4 class-load diff, hostile minus baseline ("
            + extra.size()
            + "): "
            + extra.stream()
                .filter(c -> !c.contains("$$Lambda") && !c.contains("/0x"))
                .collect(Collectors.joining(", ")));
  }

  /** The packages of the classes outside the allow-list (classes would be a long list). */
  private static Set<String> outsideAllowList(Set<String> classes) {
    return classes.stream()
        .filter(c -> ALLOWED.stream().noneMatch(c::startsWith))
        .map(c -> c.substring(0, Math.max(0, c.lastIndexOf('.'))))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<String> matching(Set<String> classes, List<String> prefixes) {
    return classes.stream().filter(c -> prefixes.stream().anyMatch(c::startsWith)).toList();
  }

  /** Runs {@link HostilePayloadRun} in {@code mode}; the classes it loaded. */
  private Set<String> run(String mode) throws IOException, InterruptedException {
    Path log = dir.resolve(mode + "-classes.log");
    Path data = dir.resolve(mode + "-data");
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    var command =
        new ArrayList<>(
            List.of(
                javaBin,
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xlog:class+load=info:file=" + log,
                "-cp",
                classpath,
                HostilePayloadRun.class.getName(),
                mode,
                data.toString()));
    Path out = dir.resolve(mode + "-out.txt");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(mode + " run did not finish in 60 s:\n" + Files.readString(out));
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(mode + " run's exit code; output:\n" + output).isZero();
    List<String> lines = output.lines().toList();
    assertThat(lines).as(mode + " output").contains("done");
    checkOutcomes(mode, lines);
    try (var logLines = Files.lines(log)) {
      return logLines
          .map(LOADED::matcher)
          .filter(Matcher::find)
          .map(m -> m.group(1))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The API refused each hostile request, and each planted row died and still reads back. */
  private static void checkOutcomes(String mode, List<String> lines) {
    if (mode.equals("sanity")) {
      return;
    }
    boolean hostile = mode.equals("hostile");
    var api = lines.stream().filter(l -> l.startsWith("api ")).toList();
    var jobs = lines.stream().filter(l -> l.startsWith("job ")).toList();
    assertThat(api).as(mode).isNotEmpty();
    assertThat(jobs).as(mode).isNotEmpty();
    for (String l : api) {
      int status = Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1));
      if (hostile && !l.startsWith("api data:")) {
        assertThat(status).as(l).isIn(400, 413, 422);
      } else {
        assertThat(status).as(l).isEqualTo(201);
      }
    }
    for (String l : jobs) {
      assertThat(l).as(l).endsWith(hostile ? " DEAD 200" : " SUCCEEDED 200");
    }
    assertThat(lines).as(mode).contains("list 200");
  }
}
