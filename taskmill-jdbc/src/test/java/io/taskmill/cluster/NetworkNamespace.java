package io.taskmill.cluster;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace joined to the host by a veth pair on a /30 of its own, so a node JVM run
 * inside it ({@link #launchPrefix()}) reaches a {@link PrivatePostgres} listening on the host end
 * ({@link #hostAddress()}), and the test can cut that link ({@link #partition()}) and restore it
 * ({@link #heal()}). Link down drops packets silently, as a real partition does: no RST, so open
 * connections hang rather than fail. Needs root and {@code ip}; otherwise the test is skipped.
 */
final class NetworkNamespace implements AutoCloseable {
  private final String name;
  private final String hostLink;
  private final String nodeLink;
  private final String subnet;

  /** Removes the namespace if the test JVM exits without closing it. */
  private final Thread cleanup;

  private NetworkNamespace(String name, String hostLink, String nodeLink, String subnet) {
    this.name = name;
    this.hostLink = hostLink;
    this.nodeLink = nodeLink;
    this.subnet = subnet;
    this.cleanup =
        new Thread(
            () -> {
              try {
                remove();
              } catch (IOException | InterruptedException e) {
                System.err.println("could not remove network namespace " + name + ": " + e);
              }
            },
            "netns-cleanup");
  }

  /** Creates the namespace and its link; skips the calling test if namespaces are not permitted. */
  static NetworkNamespace create() throws IOException, InterruptedException {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "network namespaces need root; running as " + System.getProperty("user.name"));
    String tag = Integer.toString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff), 16);
    int octet = ThreadLocalRandom.current().nextInt(1, 250);
    // Interface names are limited to 15 characters.
    var ns = new NetworkNamespace("tmns" + tag, "tmh" + tag, "tmn" + tag, "10.213." + octet);
    int probe;
    try {
      probe = run(List.of("ip", "netns", "add", ns.name));
    } catch (IOException e) {
      probe = -1; // no ip command
    }
    assumeTrue(probe == 0, "ip netns add is not permitted here (exit " + probe + ")");
    Runtime.getRuntime().addShutdownHook(ns.cleanup);
    try {
      ns.ip("link", "add", ns.hostLink, "type", "veth", "peer", "name", ns.nodeLink);
      ns.ip("link", "set", ns.nodeLink, "netns", ns.name);
      ns.ip("addr", "add", ns.hostAddress() + "/30", "dev", ns.hostLink);
      ns.ip("link", "set", ns.hostLink, "up");
      ns.inside("ip", "addr", "add", ns.subnet + ".2/30", "dev", ns.nodeLink);
      ns.inside("ip", "link", "set", ns.nodeLink, "up");
      ns.inside("ip", "link", "set", "lo", "up");
      return ns;
    } catch (IOException | RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  /** The host end's address, where PostgreSQL listens for the namespace's node. */
  String hostAddress() {
    return subnet + ".1";
  }

  /** The network the namespace's node connects from, for pg_hba.conf. */
  String cidr() {
    return subnet + ".0/30";
  }

  /** The command prefix that runs a process inside the namespace. */
  String[] launchPrefix() {
    return new String[] {"ip", "netns", "exec", name};
  }

  /** Cuts the link: packets in both directions are dropped from now on. */
  void partition() throws IOException, InterruptedException {
    ip("link", "set", hostLink, "down");
  }

  /** Restores the link. */
  void heal() throws IOException, InterruptedException {
    ip("link", "set", hostLink, "up");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook running
    }
    remove();
  }

  private void remove() throws IOException, InterruptedException {
    // Deleting the namespace deletes its veth end, and with it the host end.
    run(List.of("ip", "netns", "del", name));
    run(List.of("ip", "link", "del", hostLink));
  }

  private void ip(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    checked(command);
  }

  private void inside(String... args) throws IOException, InterruptedException {
    var command = new ArrayList<>(List.of(launchPrefix()));
    command.addAll(List.of(args));
    checked(command);
  }

  private static void checked(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }
}
