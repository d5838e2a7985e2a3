package org.millrace.producers.crawl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frontier's order and politeness: which URL {@link Frontier#take()} hands out, and when. */
class FrontierTest {

  @TempDir Path folder;

  @Test
  void hostsTakeTurnsInTheOrderTheyWereFirstSeen() throws Exception {
    try (Frontier frontier = Frontier.open(folder, 1, 1_000)) {
      offer(frontier, "http://a.example/1", "http://a.example/2", "http://b.example/1");
      offer(frontier, "http://c.example/1", "http://b.example/2");

      // one request at a time per host: a, b, c, then nothing until a host is released
      List<CrawlTarget> first = List.of(frontier.take(), frontier.take(), frontier.take());
      assertThat(first)
          .extracting(CrawlTarget::url)
          .containsExactly("http://a.example/1", "http://b.example/1", "http://c.example/1");
      CompletableFuture<CrawlTarget> next = takeLater(frontier);
      Thread.sleep(100);
      assertThat(next).as("every host with URLs left has a request in flight").isNotDone();

      frontier.release(first.get(1), Duration.ZERO, true);
      assertThat(next.get(5, TimeUnit.SECONDS).url()).isEqualTo("http://b.example/2");
    }
  }

  @Test
  void theHostWhosePauseEndsFirstGoesFirst() throws Exception {
    try (Frontier frontier = Frontier.open(folder, 1, 1_000)) {
      offer(frontier, "http://a.example/1", "http://b.example/1", "http://c.example/1");
      offer(frontier, "http://a.example/2", "http://b.example/2", "http://c.example/2");
      CrawlTarget a = frontier.take();
      CrawlTarget b = frontier.take();
      CrawlTarget c = frontier.take();
      // a was seen first, but its pause is the longest: b's host, then c's, then a's
      long start = System.nanoTime();
      frontier.release(a, Duration.ofMillis(600), true);
      frontier.release(b, Duration.ofMillis(100), true);
      frontier.release(c, Duration.ofMillis(300), true);
      List<String> order = new ArrayList<>();
      List<Long> waited = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        order.add(frontier.take().url());
        waited.add((System.nanoTime() - start) / 1_000_000);
      }
      assertThat(order)
          .containsExactly("http://b.example/2", "http://c.example/2", "http://a.example/2");
      // never before the host's pause is over (only lower bounds: the machine may be slow)
      assertThat(waited.get(0)).isGreaterThanOrEqualTo(100);
      assertThat(waited.get(1)).isGreaterThanOrEqualTo(300);
      assertThat(waited.get(2)).isGreaterThanOrEqualTo(600);
    }
  }

  @Test
  void aHostServesAtMostPerHostConcurrencyRequestsAtOnce() throws Exception {
    try (Frontier frontier = Frontier.open(folder, 2, 1_000)) {
      offer(frontier, "http://a.example/1", "http://a.example/2", "http://a.example/3");
      CrawlTarget one = frontier.take();
      CrawlTarget two = frontier.take();
      assertThat(List.of(one, two))
          .extracting(CrawlTarget::url)
          .containsExactly("http://a.example/1", "http://a.example/2");
      CompletableFuture<CrawlTarget> third = takeLater(frontier);
      Thread.sleep(100);
      assertThat(third).isNotDone();
      frontier.release(two, Duration.ZERO, true);
      assertThat(third.get(5, TimeUnit.SECONDS).url()).isEqualTo("http://a.example/3");
    }
  }

  @Test
  void manyHostsAreEachServedOnceBeforeAnyTwice() throws Exception {
    int hosts = 2_000;
    try (Frontier frontier = Frontier.open(folder, 1, 1_000_000)) {
      for (int round = 1; round <= 2; round++) {
        for (int h = 0; h < hosts; h++) {
          offer(frontier, "http://h" + h + ".example/" + round);
        }
      }
      List<CrawlTarget> taken = new ArrayList<>();
      for (int h = 0; h < hosts; h++) {
        taken.add(frontier.take());
      }
      assertThat(taken).extracting(CrawlTarget::host).doesNotHaveDuplicates().hasSize(hosts);
      assertThat(taken.get(0).url()).isEqualTo("http://h0.example/1");
      assertThat(taken.get(hosts - 1).url()).isEqualTo("http://h" + (hosts - 1) + ".example/1");
      for (CrawlTarget target : taken) {
        frontier.release(target, Duration.ZERO, true);
      }
      for (int h = 0; h < hosts; h++) {
        assertThat(frontier.take().url()).isEqualTo("http://h" + h + ".example/2");
      }
      assertThat(frontier.queued()).isZero();
    }
  }

  @Test
  void theCrawlEndsWhenNothingIsQueuedOrInFlightAndTheBudgetBoundsIt() throws Exception {
    try (Frontier frontier = Frontier.open(folder, 4, 2)) {
      offer(frontier, "http://a.example/1", "http://b.example/1", "http://c.example/1");
      CrawlTarget a = frontier.take();
      CrawlTarget b = frontier.take();
      frontier.release(a, Duration.ZERO, true);
      frontier.release(b, Duration.ZERO, false); // robots.txt said no: back to the budget
      CrawlTarget c = frontier.take();
      assertThat(c.url()).isEqualTo("http://c.example/1");
      frontier.release(c, Duration.ZERO, true);
      assertThat(frontier.take()).as("budget of 2 spent, nothing in flight").isNull();
    }
  }

  private static void offer(Frontier frontier, String... urls) {
    for (String url : urls) {
      assertThat(frontier.offer(CrawlTarget.seed(url))).isTrue();
    }
  }

  private static CompletableFuture<CrawlTarget> takeLater(Frontier frontier) {
    CompletableFuture<CrawlTarget> future = new CompletableFuture<>();
    Thread taker =
        new Thread(
            () -> {
              try {
                future.complete(frontier.take());
              } catch (Throwable e) {
                future.completeExceptionally(e);
              }
            });
    taker.setDaemon(true);
    taker.start();
    return future;
  }
}
