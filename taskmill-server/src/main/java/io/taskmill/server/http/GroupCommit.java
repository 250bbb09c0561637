package io.taskmill.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Lets concurrent requests share one database commit: each caller hands in its item and waits; one
 * thread writes whatever has arrived since its last write as one group, so an idle server writes
 * each item at once and a busy one many per commit (as the engine's completer does). A caller is
 * answered only after its group committed, so nothing acknowledged can be lost.
 *
 * @param <T> what is written
 * @param <R> what each caller gets back
 */
public final class GroupCommit<T, R> implements AutoCloseable {
  private record Pending<T, R>(T item, CompletableFuture<R> done) {}

  private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
  private final int maxGroup;
  private final BiConsumer<List<T>, List<CompletableFuture<R>>> write;
  private final Thread writer;
  private volatile boolean closed;

  /**
   * @param write writes a group and completes each item's future (normally or with its own
   *     failure); a failure it throws fails every item of the group
   */
  public GroupCommit(
      String name, int maxGroup, BiConsumer<List<T>, List<CompletableFuture<R>>> write) {
    this.maxGroup = maxGroup;
    this.write = write;
    this.writer = Thread.ofPlatform().daemon().name(name).start(this::run);
  }

  /** Writes {@code item} with whatever else is waiting, and returns its result once committed. */
  public R submit(T item) throws InterruptedException {
    if (closed) {
      throw new IllegalStateException("the server is stopping");
    }
    var done = new CompletableFuture<R>();
    queue.add(new Pending<>(item, done));
    try {
      return done.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Items handed in and not yet taken into a write. */
  public int pending() {
    return queue.size();
  }

  private void run() {
    var group = new ArrayList<Pending<T, R>>(maxGroup);
    while (!closed || !queue.isEmpty()) {
      Pending<T, R> first;
      try {
        // Polled, not interrupted at close: H2 closes its file when a thread in I/O is interrupted.
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (first == null) {
        continue;
      }
      group.add(first);
      queue.drainTo(group, maxGroup - 1);
      var items = new ArrayList<T>(group.size());
      var futures = new ArrayList<CompletableFuture<R>>(group.size());
      for (Pending<T, R> p : group) {
        items.add(p.item());
        futures.add(p.done());
      }
      try {
        write.accept(items, futures);
      } catch (RuntimeException | Error e) {
        futures.forEach(f -> f.completeExceptionally(e));
      }
      for (CompletableFuture<R> f : futures) {
        if (!f.isDone()) {
          // Built only when needed: an exception per answered item cost a stack trace each.
          f.completeExceptionally(
              new IllegalStateException("the group writer left this item unanswered"));
        }
      }
      group.clear();
    }
    queue.forEach(
        p -> p.done().completeExceptionally(new IllegalStateException("the server is stopping")));
  }

  @Override
  public void close() {
    closed = true;
    try {
      writer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
