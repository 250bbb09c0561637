package io.taskmill.cli;

import io.taskmill.TaskmillBuilder;
import io.taskmill.job.Retry;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Handlers that look like real work, for the demo: resizing images, sending mail (some servers
 * greylist the first try), rendering reports under a timeout. They only sleep.
 */
public final class SampleHandlers {
  /** Resizes an image; queue {@code media}. */
  public static final String RESIZE = "media.resize";

  /** Sends one e-mail; queue {@code mail}; the first attempt to a greylisting domain fails. */
  public static final String SEND_MAIL = "mail.send";

  /** Renders a report and returns where it wrote it; queue {@code reports}; 5 s timeout. */
  public static final String RENDER_REPORT = "report.render";

  /** Domain whose mail servers refuse the first delivery attempt. */
  public static final String GREYLISTING_DOMAIN = "greylist.example.net";

  /** Payload of {@code media.resize}. */
  public record ResizeImage(String image, int width) {}

  /** Payload of {@code mail.send}. */
  public record SendEmail(String to, String template) {}

  /** Payload of {@code report.render}. */
  public record RenderReport(String report, String month) {}

  /** Result of {@code report.render}. */
  public record ReportFile(String path, int pages) {}

  /** A temporary SMTP refusal: worth retrying. */
  public static final class MailDeferredException extends RuntimeException {
    public MailDeferredException(String message) {
      super(message);
    }
  }

  private SampleHandlers() {}

  /**
   * Declares the {@code media}, {@code mail} and {@code reports} queues and registers the handlers.
   */
  public static TaskmillBuilder registerAll(TaskmillBuilder builder) {
    return builder
        .queue("media", q -> q.concurrency(4))
        .queue("mail", q -> q.concurrency(4))
        .queue("reports", q -> q.concurrency(2))
        .handler(
            RESIZE,
            ResizeImage.class,
            (p, ctx) -> {
              ctx.log().info("resizing {} to {}px", p.image(), p.width());
              Thread.sleep(between(50, 300));
              String out = p.image().replaceFirst("(\\.[a-z]+)$", "@" + p.width() + "$1");
              ctx.log().info("wrote {}", out);
            },
            h -> h.queue("media"))
        .handler(
            SEND_MAIL,
            SendEmail.class,
            (p, ctx) -> {
              if (p.to().endsWith("@" + GREYLISTING_DOMAIN) && ctx.attempt() == 1) {
                throw new MailDeferredException(
                    "451 4.7.1 " + p.to() + ": greylisted, try again later");
              }
              Thread.sleep(between(20, 80));
              ctx.log().info("sent '{}' to {} (attempt {})", p.template(), p.to(), ctx.attempt());
            },
            h ->
                h.queue("mail")
                    .retry(
                        Retry.fixed(Duration.ofMillis(300))
                            .maxAttempts(4)
                            .retryOn(MailDeferredException.class)))
        .resultHandler(
            RENDER_REPORT,
            RenderReport.class,
            (p, ctx) -> {
              int pages = (int) between(3, 40);
              ctx.log().info("rendering {} for {}: {} pages", p.report(), p.month(), pages);
              Thread.sleep(between(400, 1200));
              return new ReportFile("reports/" + p.month() + "/" + p.report() + ".pdf", pages);
            },
            h ->
                h.queue("reports")
                    .timeout(Duration.ofSeconds(5))
                    .retry(Retry.fixed(Duration.ofMillis(500))));
  }

  private static long between(long min, long max) {
    return ThreadLocalRandom.current().nextLong(min, max + 1);
  }
}
