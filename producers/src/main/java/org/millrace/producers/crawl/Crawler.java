package org.millrace.producers.crawl;

import crawlercommons.robots.BaseRobotRules;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.millrace.producers.crawl.AddressPolicy.RefusedAddressException;
import org.millrace.schemas.RawDocument;
import org.millrace.schemas.RejectedDocument;
import org.millrace.schemas.reject.RejectReason;
import org.millrace.schemas.reject.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code millrace crawl}: fetches pages from seed URLs and the links they hold, within a {@link
 * CrawlScope} and the limits of {@link CrawlSettings}, politely (robots.txt, one request at a time
 * per host with a pause), and hands each page to a {@link CrawlSink} as a {@link RawDocument}, or
 * as a rejection with its reason when it could not be one.
 *
 * <p>Each worker thread takes a URL from the {@link Frontier}, then: checks the host's addresses
 * ({@link AddressPolicy}), asks robots.txt, GETs the page with retries, and, for a redirect, queues
 * the target as a URL of its own (so every hop is checked again and waits its host's turn), or for
 * a page, publishes it and queues its links in scope.
 */
public final class Crawler {

  public static final String STAGE = "crawl";
  private static final Logger log = LoggerFactory.getLogger(Crawler.class);

  /** Keys of a crawled document's metadata (docs/records.md). */
  public static final String META_CRAWL_ID = "crawl.id";

  public static final String META_DEPTH = "crawl.depth";
  public static final String META_REQUESTED_URL = "crawl.requested_url";
  public static final String META_REDIRECTS = "crawl.redirects";
  public static final String META_TRUNCATED = "crawl.truncated";
  public static final String META_STATUS = "http.status";

  /** Response headers kept in metadata, as {@code http.<name>}. */
  static final List<String> KEPT_HEADERS =
      List.of("content-type", "last-modified", "etag", "content-language");

  private final CrawlSettings settings;
  private final CrawlScope scope;
  private final List<String> seeds;
  private final Path crawlFolder;
  private final CrawlSink sink;
  private final int rejectedPayloadMaxBytes;
  private final AddressPolicy addressPolicy;
  private final UrlNormalizer normalizer;

  private final LongAdder pagesFetched = new LongAdder();
  private final LongAdder documents = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder truncated = new LongAdder();
  private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> workerFailure = new AtomicReference<>();
  private final AtomicLong startNanos = new AtomicLong(System.nanoTime());
  private volatile Frontier frontier;

  /**
   * @param seeds normalised seed URLs ({@link UrlNormalizer})
   * @param crawlFolder where the frontier lives: {@code data.dir/crawl/<crawl-id>}
   */
  public Crawler(
      CrawlSettings settings,
      CrawlScope scope,
      List<String> seeds,
      Path crawlFolder,
      CrawlSink sink,
      int rejectedPayloadMaxBytes) {
    this(settings, scope, seeds, crawlFolder, sink, rejectedPayloadMaxBytes, HostResolver.system());
  }

  /** With a resolver of the test's own: names that resolve where the test says. */
  Crawler(
      CrawlSettings settings,
      CrawlScope scope,
      List<String> seeds,
      Path crawlFolder,
      CrawlSink sink,
      int rejectedPayloadMaxBytes,
      HostResolver resolver) {
    this.settings = settings;
    this.scope = scope;
    this.seeds = List.copyOf(seeds);
    this.crawlFolder = crawlFolder;
    this.sink = sink;
    this.rejectedPayloadMaxBytes = rejectedPayloadMaxBytes;
    AddressPolicy policy =
        settings.allowedAddresses().isEmpty()
            ? AddressPolicy.publicOnly()
            : AddressPolicy.allowing(settings.allowedAddresses());
    this.addressPolicy = policy.resolvingWith(resolver);
    this.normalizer = new UrlNormalizer(settings.queryHandling());
  }

  /** Crawls until the frontier is empty, the page budget is spent, or {@link #stop()}. */
  public CrawlSummary run() throws IOException, InterruptedException {
    startNanos.set(System.nanoTime());
    PageFetcher fetcher = new PageFetcher(settings, addressPolicy);
    RobotsCache robots =
        new RobotsCache(fetcher, settings.robotsName(), settings.robotsExpiry(), Clock.systemUTC());
    try (Frontier opened =
        Frontier.open(crawlFolder, settings.perHostConcurrency(), settings.maxPages())) {
      frontier = opened;
      for (String seed : seeds) {
        opened.offer(CrawlTarget.seed(seed));
      }
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < settings.concurrency(); i++) {
        Thread worker =
            new Thread(
                () -> work(opened, fetcher, robots), "crawler-" + settings.crawlId() + "-" + i);
        worker.start();
        workers.add(worker);
      }
      try {
        for (Thread worker : workers) {
          worker.join();
        }
      } catch (InterruptedException e) {
        opened.stop();
        for (Thread worker : workers) {
          worker.interrupt();
        }
        throw e;
      }
      // The last records' acknowledgements write their pages' D lines: before the log closes.
      sink.flush();
      Throwable failure = workerFailure.get();
      if (failure != null) {
        throw new IOException("the crawl stopped: " + failure.getMessage(), failure);
      }
      return summary();
    }
  }

  /** Ends the crawl soon: requests in flight finish, and no other starts. */
  public void stop() {
    Frontier current = frontier;
    if (current != null) {
      current.stop();
    }
  }

  /** What the crawl has done so far; callable from any thread while it runs. */
  public CrawlSummary summary() {
    Frontier current = frontier;
    return new CrawlSummary(
        pagesFetched.sum(),
        current == null ? 0 : current.pagesFetched(),
        documents.sum(),
        bytes.sum(),
        truncated.sum(),
        counts(rejected),
        counts(skipped),
        current == null ? 0 : current.queued(),
        (System.nanoTime() - startNanos.get()) / 1e9);
  }

  private void work(Frontier frontier, PageFetcher fetcher, RobotsCache robots) {
    try {
      for (CrawlTarget target = frontier.take(); target != null; target = frontier.take()) {
        Duration pause = settings.politenessDelay();
        boolean fetched = false;
        try {
          Visit visit = visit(target, fetcher, robots);
          pause = visit.pause();
          fetched = visit.fetched();
        } catch (RuntimeException e) {
          workerFailure.compareAndSet(null, e);
          log.error("Crawler worker failed on {}", target.url(), e);
          frontier.stop();
        } finally {
          frontier.release(target, pause, fetched);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Visit(boolean fetched, Duration pause) {}

  private Visit visit(CrawlTarget target, PageFetcher fetcher, RobotsCache robots)
      throws InterruptedException {
    URI uri = URI.create(target.url());
    Duration pause = settings.politenessDelay();
    try {
      addressPolicy.check(uri.getHost());
      RobotsCache.Lookup lookup = robots.rulesFor(uri);
      pause = pauseFor(lookup.rules());
      if (!lookup.rules().isAllowed(target.url())) {
        skip(target, "robots");
        return new Visit(false, lookup.fetchedNow() ? pause : Duration.ZERO);
      }
      if (lookup.fetchedNow()) {
        Thread.sleep(pause.toMillis()); // robots.txt was a request to this host too
      }
    } catch (RefusedAddressException e) {
      refuse(target, e);
      return new Visit(true, Duration.ZERO);
    } catch (UnknownHostException e) {
      pagesFetched.increment();
      reject(target, RejectReason.FETCH_FAILED, "unknown host " + uri.getHost(), null);
      return new Visit(true, Duration.ZERO);
    }

    PageFetcher.Response response = null;
    Exception failure = null;
    for (int attempt = 0; attempt <= settings.retries(); attempt++) {
      if (attempt > 0) {
        Duration backoff = settings.retryBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        Thread.sleep(Math.max(backoff.toMillis(), pause.toMillis()));
      }
      try {
        response = fetcher.get(uri, settings.maxBytesPerPage(), this::wantsBody);
        failure = null;
        if (!retryable(response.status())) {
          break;
        }
      } catch (IOException e) {
        failure = e;
        response = null;
      } catch (RefusedAddressException e) {
        refuse(target, e); // the name resolved elsewhere since the check above
        return new Visit(true, Duration.ZERO);
      }
    }
    pagesFetched.increment();
    int attempts = settings.retries() + 1;
    if (failure != null) {
      String what = failure instanceof HttpTimeoutException ? "timeout" : "I/O error";
      reject(
          target,
          RejectReason.FETCH_FAILED,
          what + " after " + attempts + " attempts: " + failure.getMessage(),
          null);
    } else {
      handle(target, response);
    }
    return new Visit(true, pause);
  }

  private void handle(CrawlTarget target, PageFetcher.Response response) {
    int status = response.status();
    Optional<String> location = response.headers().firstValue("location");
    if (status >= 300 && status < 400 && location.isPresent()) {
      redirect(target, location.get());
      return;
    }
    if (status < 200 || status >= 300) {
      reject(
          target,
          RejectReason.HTTP_ERROR,
          "HTTP "
              + status
              + (retryable(status) ? " after " + (settings.retries() + 1) + " attempts" : ""),
          null);
      return;
    }
    String mediaType = response.mediaType();
    if (!settings.acceptedTypes().contains(mediaType)) {
      reject(
          target,
          RejectReason.UNSUPPORTED_CONTENT_TYPE,
          "Content-Type '" + mediaType + "' is not one of " + settings.acceptedTypes(),
          null);
      return;
    }
    if (response.truncated() && settings.rejectOversized()) {
      reject(
          target,
          RejectReason.TOO_LARGE,
          "body longer than the limit of " + settings.maxBytesPerPage() + " bytes",
          response.body());
      return;
    }
    boolean html = !mediaType.equals("text/plain");
    Optional<Charset> charset =
        PageCharset.of(
            response.body(), response.headers().firstValue("content-type").orElse(null), html);
    if (PageCharset.looksBinary(response.body(), charset)) {
      reject(
          target,
          RejectReason.BINARY_PAYLOAD,
          "labelled " + mediaType + " but holds binary data (a NUL byte in its first 1024 bytes)",
          response.body());
      return;
    }
    publish(target, response, mediaType, charset);
    if (html && target.depth() < settings.maxDepth()) {
      PageLinks links =
          PageLinks.of(response.body(), charset.orElse(null), target.url(), settings.robotsName());
      for (String link : links.targets()) {
        normalizer
            .normalize(links.base(), link)
            .filter(scope::allows)
            .ifPresent(url -> frontier.offer(new CrawlTarget(url, target.depth() + 1, 0, url)));
      }
    }
  }

  private void redirect(CrawlTarget target, String location) {
    if (target.redirects() >= settings.maxRedirects()) {
      reject(
          target,
          RejectReason.FETCH_FAILED,
          "more than " + settings.maxRedirects() + " redirects from " + target.requestedUrl(),
          null);
      return;
    }
    frontier.fetched(target.url());
    skipped.computeIfAbsent("redirect", k -> new LongAdder()).increment();
    Optional<String> next = normalizer.normalize(URI.create(target.url()), location);
    if (next.isEmpty() || !scope.allows(next.get())) {
      skipped.computeIfAbsent("redirect_out_of_scope", k -> new LongAdder()).increment();
    } else if (!frontier.offer(
        new CrawlTarget(
            next.get(), target.depth(), target.redirects() + 1, target.requestedUrl()))) {
      // a loop (a -> b -> a) ends here too: its next hop is a URL already queued
      skipped.computeIfAbsent("redirect_seen", k -> new LongAdder()).increment();
    }
  }

  private void publish(
      CrawlTarget target,
      PageFetcher.Response response,
      String mediaType,
      Optional<Charset> charset) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put(META_CRAWL_ID, settings.crawlId());
    metadata.put(META_DEPTH, Integer.toString(target.depth()));
    metadata.put(META_REQUESTED_URL, target.requestedUrl());
    metadata.put(META_REDIRECTS, Integer.toString(target.redirects()));
    metadata.put(META_TRUNCATED, Boolean.toString(response.truncated()));
    metadata.put(META_STATUS, Integer.toString(response.status()));
    for (String header : KEPT_HEADERS) {
      response
          .headers()
          .firstValue(header)
          .ifPresent(value -> metadata.put("http." + header, value));
    }
    RawDocument document =
        RawDocument.newBuilder()
            .setId(idOf(target.url()))
            .setUrl(target.url())
            .setSource("crawl:" + settings.crawlId())
            .setContentType(
                charset
                    .map(c -> mediaType + "; charset=" + c.name().toLowerCase(Locale.ROOT))
                    .orElse(mediaType))
            .setBody(ByteBuffer.wrap(response.body()))
            .setFetchedAt(Instant.now())
            .setMetadata(new HashMap<>(metadata))
            .build();
    documents.increment();
    bytes.add(response.body().length);
    if (response.truncated()) {
      truncated.increment();
    }
    sink.document(document, () -> frontier.fetched(target.url()));
  }

  private void reject(CrawlTarget target, RejectReason reason, String detail, byte[] payload) {
    rejected.computeIfAbsent(reason.code(), k -> new LongAdder()).increment();
    log.debug("Rejected {}: {} ({})", target.url(), reason.code(), detail);
    RejectedDocument rejection =
        Rejection.ofSource(
            idOf(target.url()),
            STAGE,
            reason,
            detail,
            target.url(),
            payload,
            rejectedPayloadMaxBytes);
    sink.rejection(rejection, () -> frontier.fetched(target.url()));
  }

  /**
   * A refused address is a rejection, not a silent skip: whoever reads docs.rejected sees which
   * page (or redirect, {@code crawl.requested_url} apart) pointed the crawler at an internal
   * address. No request was sent.
   */
  private void refuse(CrawlTarget target, RefusedAddressException e) {
    log.warn("Refused {}: {}", target.url(), e.getMessage());
    pagesFetched.increment();
    String from =
        target.redirects() > 0
            ? " (redirect " + target.redirects() + " from " + target.requestedUrl() + ")"
            : "";
    reject(
        target,
        RejectReason.FETCH_FAILED,
        "refused address: " + e.getMessage() + from + "; no request was sent",
        null);
  }

  private void skip(CrawlTarget target, String cause) {
    skipped.computeIfAbsent(cause, k -> new LongAdder()).increment();
    frontier.closedWithoutFetch(target.url());
  }

  /** Bodies worth downloading: those of successful responses of a type the crawl keeps. */
  private boolean wantsBody(ResponseInfo info) {
    if (info.statusCode() < 200 || info.statusCode() >= 300) {
      return false;
    }
    String type =
        info.headers()
            .firstValue("content-type")
            .map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
            .orElse("");
    return settings.acceptedTypes().contains(type);
  }

  /** 5xx and 429 (too many requests) may pass: try again. Other statuses will not change. */
  private static boolean retryable(int status) {
    return status >= 500 || status == 429;
  }

  /** The politeness delay, or robots.txt's Crawl-delay when longer. */
  private Duration pauseFor(BaseRobotRules rules) {
    long crawlDelayMillis = rules.getCrawlDelay();
    return crawlDelayMillis > settings.politenessDelay().toMillis()
        ? Duration.ofMillis(crawlDelayMillis)
        : settings.politenessDelay();
  }

  /** 16 hex digits of SHA-256 of the normalised URL: a re-crawl gives the page the same id. */
  public static String idOf(String normalizedUrl) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(normalizedUrl.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static Map<String, Long> counts(Map<String, LongAdder> adders) {
    Map<String, Long> counts = new TreeMap<>();
    adders.forEach((key, adder) -> counts.put(key, adder.sum()));
    return counts;
  }
}
