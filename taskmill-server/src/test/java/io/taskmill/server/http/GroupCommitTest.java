package io.taskmill.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  @Test
  void itemsArrivingWhileAGroupIsWrittenShareTheNextWrite() throws Exception {
    var firstWriteEntered = new CountDownLatch(1);
    var releaseFirstWrite = new CountDownLatch(1);
    var groups = new CopyOnWriteArrayList<List<Integer>>();
    try (var commit =
            new GroupCommit<Integer, Integer>(
                "test-group",
                100,
                (items, done) -> {
                  groups.add(List.copyOf(items));
                  if (groups.size() == 1) {
                    firstWriteEntered.countDown();
                    await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> releaseFirstWrite.getCount() == 0);
                  }
                  for (int i = 0; i < items.size(); i++) {
                    done.get(i).complete(items.get(i) * 10);
                  }
                });
        var callers = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first = callers.submit(() -> commit.submit(1));
      firstWriteEntered.await();
      var later = new CopyOnWriteArrayList<Future<Integer>>();
      for (int i = 2; i <= 6; i++) {
        int item = i;
        later.add(callers.submit(() -> commit.submit(item)));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> commit.pending() == 5);
      releaseFirstWrite.countDown();

      assertThat(first.get()).isEqualTo(10);
      for (int i = 0; i < later.size(); i++) {
        assertThat(later.get(i).get()).isEqualTo((i + 2) * 10);
      }
      assertThat(groups).hasSize(2);
      assertThat(groups.getFirst()).containsExactly(1);
      assertThat(groups.get(1)).containsExactlyInAnyOrder(2, 3, 4, 5, 6);
    }
  }

  @Test
  void anItemTheWriterLeavesUnansweredFailsItsCallerOnly() throws Exception {
    try (var commit =
        new GroupCommit<Integer, Integer>(
            "test-group",
            100,
            (items, done) -> {
              for (int i = 0; i < items.size(); i++) {
                if (items.get(i) != 13) {
                  done.get(i).complete(items.get(i));
                }
              }
            })) {
      assertThat(commit.submit(7)).isEqualTo(7);
      assertThatThrownBy(() -> commit.submit(13))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("left this item unanswered");
      assertThat(commit.submit(8)).isEqualTo(8);
    }
  }

  @Test
  void aWriteThatThrowsFailsItsItemsWithThatFailureAndLaterWritesStillRun() throws Exception {
    try (var commit =
        new GroupCommit<Integer, Integer>(
            "test-group",
            100,
            (items, done) -> {
              if (items.contains(0)) {
                throw new IllegalArgumentException("the database refused item 0");
              }
              for (int i = 0; i < items.size(); i++) {
                done.get(i).complete(items.get(i));
              }
            })) {
      assertThatThrownBy(() -> commit.submit(0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the database refused item 0");
      assertThat(commit.submit(5)).isEqualTo(5);
    }
  }

  @Test
  void aClosedGroupCommitRefusesNewItems() {
    var commit =
        new GroupCommit<Integer, Integer>(
            "test-group", 100, (items, done) -> done.forEach(f -> f.complete(1)));
    commit.close();

    assertThatThrownBy(() -> commit.submit(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stopping");
  }
}
