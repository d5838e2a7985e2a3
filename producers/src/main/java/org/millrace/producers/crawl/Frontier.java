package org.millrace.producers.crawl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The URLs still to fetch, one queue per host, and every URL ever queued (the seen set), both
 * rebuilt from the {@link FrontierLog} at start: a crawl stopped and started again continues where
 * it was and does not fetch a page again.
 *
 * <p>Politeness lives here: {@link #take()} hands out a URL only from a host with fewer than {@code
 * perHostConcurrency} requests in flight and whose pause after its last request is over; workers
 * wait otherwise. It also keeps the page budget ({@code maxPages}, over all runs of the crawl).
 *
 * <p>The hosts that could be asked now or later (URLs queued, a request slot free) wait in {@link
 * #eligible}, ordered by the time their pause ends, then by when they were first seen: a take looks
 * at the first host only, whatever the number of hosts, instead of scanning them all, and the host
 * that has waited longest goes first.
 */
final class Frontier implements AutoCloseable {

  private static final class Host {
    final long order;
    final ArrayDeque<CrawlTarget> queue = new ArrayDeque<>();
    int inFlight;
    long readyAtNanos;

    Host(long order) {
      this.order = order;
      this.readyAtNanos = System.nanoTime(); // nanoTime's origin is arbitrary: never 0
    }
  }

  private static final Comparator<Host> BY_READY_TIME =
      Comparator.<Host>comparingLong(host -> host.readyAtNanos)
          .thenComparingLong(host -> host.order);

  private final FrontierLog log;
  private final int perHostConcurrency;
  private final long maxPages;
  private final Set<String> seen = new HashSet<>();
  private final Map<String, Host> hosts = new HashMap<>();

  /**
   * The hosts with URLs queued and fewer than {@code perHostConcurrency} requests in flight. A
   * host's ready time changes only while it is out of this set (see {@link #release}).
   */
  private final TreeSet<Host> eligible = new TreeSet<>(BY_READY_TIME);

  private long pagesStarted;
  private long pagesFetched;
  private long queued;
  private int inFlight;
  private boolean stopped;

  private Frontier(FrontierLog log, int perHostConcurrency, long maxPages) {
    this.log = log;
    this.perHostConcurrency = perHostConcurrency;
    this.maxPages = maxPages;
  }

  /** Opens the crawl's frontier in its folder, with what an earlier run left. */
  static Frontier open(Path folder, int perHostConcurrency, long maxPages) throws IOException {
    FrontierLog.Replay replay = FrontierLog.replay(folder);
    Frontier frontier = new Frontier(FrontierLog.open(folder), perHostConcurrency, maxPages);
    frontier.pagesFetched = replay.fetched();
    frontier.pagesStarted = replay.fetched();
    for (CrawlTarget target : replay.queued().values()) {
      frontier.seen.add(target.url());
      if (!replay.finished().containsKey(target.url())) {
        frontier.enqueue(target);
      }
    }
    return frontier;
  }

  /** Queues the URL unless it was ever queued before; says whether it was new. */
  synchronized boolean offer(CrawlTarget target) {
    if (!seen.add(target.url())) {
      return false;
    }
    try {
      log.queued(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the frontier log", e);
    }
    enqueue(target);
    notifyAll();
    return true;
  }

  private void enqueue(CrawlTarget target) {
    Host host = hosts.computeIfAbsent(target.host(), h -> new Host(hosts.size()));
    host.queue.addLast(target);
    queued++;
    if (host.inFlight < perHostConcurrency) {
      eligible.add(host); // no-op when it is there already
    }
  }

  /**
   * The next URL a worker may fetch now, waiting for a host to be ready; null when the crawl is
   * over: stopped, the page budget spent, or nothing queued and nothing in flight (which could
   * queue more).
   */
  synchronized CrawlTarget take() throws InterruptedException {
    while (true) {
      if (stopped) {
        return null;
      }
      boolean budgetLeft = pagesStarted < maxPages;
      long wait = Long.MAX_VALUE;
      if (budgetLeft && !eligible.isEmpty()) {
        Host host = eligible.first();
        long now = System.nanoTime();
        if (host.readyAtNanos - now <= 0) {
          eligible.pollFirst();
          host.inFlight++;
          inFlight++;
          pagesStarted++;
          queued--;
          CrawlTarget target = host.queue.pollFirst();
          if (!host.queue.isEmpty() && host.inFlight < perHostConcurrency) {
            eligible.add(host);
          }
          return target;
        }
        wait = host.readyAtNanos - now;
      }
      if (inFlight == 0 && (!budgetLeft || queued == 0)) {
        return null;
      }
      long waitMillis = wait == Long.MAX_VALUE ? 0 : Math.max(1, wait / 1_000_000);
      wait(waitMillis);
    }
  }

  /**
   * Gives the host back after a worker is done with a URL; its next request waits {@code pause}.
   * {@code fetched} false (robots.txt said no) returns the page to the budget.
   */
  synchronized void release(CrawlTarget target, Duration pause, boolean fetched) {
    Host host = hosts.get(target.host());
    eligible.remove(host); // before its ready time, the set's order, changes
    host.inFlight--;
    host.readyAtNanos = System.nanoTime() + pause.toNanos();
    if (!host.queue.isEmpty()) {
      eligible.add(host);
    }
    inFlight--;
    if (!fetched) {
      pagesStarted--;
    }
    notifyAll();
  }

  /** Records that the page was fetched and its record acknowledged: never fetched again. */
  synchronized void fetched(String url) {
    pagesFetched++;
    try {
      log.fetched(url);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the frontier log", e);
    }
  }

  /** Records that the URL was closed without a request (robots.txt). */
  synchronized void closedWithoutFetch(String url) {
    try {
      log.closedWithoutFetch(url);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the frontier log", e);
    }
  }

  /** Ends the crawl: workers finish their request, and take() gives them no other. */
  synchronized void stop() {
    stopped = true;
    notifyAll();
  }

  synchronized long queued() {
    return queued;
  }

  synchronized long seen() {
    return seen.size();
  }

  /** Pages fetched over every run of this crawl. */
  synchronized long pagesFetched() {
    return pagesFetched;
  }

  @Override
  public synchronized void close() throws IOException {
    log.close();
  }
}
