package io.taskmill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeepAliveClientTest {
  private HttpServer server;

  /** The client port of each request the stand-in server answered: one per connection used. */
  private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();

  private final List<String> seen = new CopyOnWriteArrayList<>();
  private KeepAliveClient client;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          clientPorts.add(ex.getRemoteAddress().getPort());
          String sent = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          seen.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestURI()
                  + " "
                  + ex.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + sent);
          String path = ex.getRequestURI().getPath();
          byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
          if (path.equals("/close")) {
            ex.getResponseHeaders().add("Connection", "close");
          }
          // 0 makes the stand-in server send its answer in chunks.
          ex.sendResponseHeaders(
              path.equals("/missing") ? 404 : 200, path.equals("/chunked") ? 0 : body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    client =
        new KeepAliveClient(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            "Bearer k",
            Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  @Test
  void sendsTheRequestAndReusesOneConnectionForConsecutiveAnswers() throws Exception {
    var first = client.post("/a", "{\"x\":1}");
    var second = client.get("/b");
    var third = client.get("/missing");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("{\"path\":\"/a\"}");
    assertThat(second.body()).isEqualTo("{\"path\":\"/b\"}");
    assertThat(third.status()).isEqualTo(404);
    assertThat(third.method()).isEqualTo("GET");
    assertThat(third.path()).isEqualTo("/missing");
    assertThat(seen)
        .containsExactly(
            "POST /a Bearer k {\"x\":1}", "GET /b Bearer k ", "GET /missing Bearer k ");
    assertThat(clientPorts).hasSize(3).containsOnly(clientPorts.getFirst());
  }

  @Test
  void readsAChunkedAnswerWhole() throws Exception {
    var answer = client.get("/chunked");
    var next = client.get("/after");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("{\"path\":\"/chunked\"}");
    assertThat(next.body()).isEqualTo("{\"path\":\"/after\"}");
  }

  @Test
  void opensANewConnectionAfterTheServerSaidClose() throws Exception {
    assertThat(client.get("/close").body()).isEqualTo("{\"path\":\"/close\"}");
    assertThat(client.get("/again").body()).isEqualTo("{\"path\":\"/again\"}");

    assertThat(clientPorts).hasSize(2).doesNotHaveDuplicates();
  }
}
