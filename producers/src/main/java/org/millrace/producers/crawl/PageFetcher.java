package org.millrace.producers.crawl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;
import javax.net.ssl.TrustManager;
import org.millrace.producers.crawl.AddressPolicy.RefusedAddressException;

/**
 * One HTTP GET, and nothing more: no redirects followed (the crawler follows them itself, so that
 * each hop is checked for scope, robots.txt and address safety), no retries (the crawler retries,
 * with its politeness). The JDK {@link HttpClient}, HTTP/1.1 and HTTP/2.
 *
 * <p>Three timeouts: connect (the client's), first byte (the request's timeout, which ends when the
 * response headers arrive) and total (the whole exchange, body included, so that a server that
 * sends headers and then stalls, or sends a body without end, is left). The body is read up to a
 * limit and the rest is not downloaded; gzip and deflate are decoded, up to the same limit (a
 * compression bomb stops there).
 *
 * <p>Where it connects: the host is resolved and checked once per request ({@link AddressPolicy}),
 * and the request goes to the checked address itself: the URL's host is replaced by the IP literal
 * and the name is sent in the {@code Host} header, over HTTP/1.1, so no second lookup can move it
 * (DNS rebinding). For https, TLS still speaks to the name: it is sent in SNI and the certificate
 * is checked against it ({@link PinnedHttpsClients}). {@code HttpClient} forbids a {@code Host}
 * header unless the system property {@code jdk.httpclient.allowRestrictedHeaders} names it before
 * its classes load: this class sets it, and refuses to start if it came too late.
 */
final class PageFetcher implements AutoCloseable {

  static final String RESTRICTED_HEADERS_PROPERTY = "jdk.httpclient.allowRestrictedHeaders";

  static {
    String allowed = System.getProperty(RESTRICTED_HEADERS_PROPERTY, "").strip();
    if (!List.of(allowed.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("host")) {
      System.setProperty(
          RESTRICTED_HEADERS_PROPERTY, allowed.isEmpty() ? "host" : allowed + ",host");
    }
  }

  /** A response: the body decoded and cut to the limit. */
  record Response(URI uri, int status, HttpHeaders headers, byte[] body, boolean truncated) {

    /** The media type, lower-case, without parameters; empty when the server sent none. */
    String mediaType() {
      return headers
          .firstValue("content-type")
          .map(value -> value.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
          .orElse("");
    }
  }

  private final HttpClient client;
  private final PinnedHttpsClients httpsClients;
  private final CrawlSettings settings;
  private final AddressPolicy addressPolicy;

  PageFetcher(CrawlSettings settings, AddressPolicy addressPolicy) {
    this(settings, addressPolicy, null);
  }

  /**
   * @param trust the trust managers that check https certificates; null: the JVM's default
   */
  PageFetcher(CrawlSettings settings, AddressPolicy addressPolicy, TrustManager[] trust) {
    this.settings = settings;
    this.addressPolicy = addressPolicy;
    this.httpsClients = new PinnedHttpsClients(trust, settings.connectTimeout());
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    try {
      HttpRequest.newBuilder(URI.create("http://127.0.0.1/")).header("Host", "example.org");
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "HttpClient was loaded before the crawler could allow the Host header, so it cannot"
              + " connect to the addresses it checks; start the JVM with -D"
              + RESTRICTED_HEADERS_PROPERTY
              + "=host",
          e);
    }
  }

  /**
   * GETs the URL, after checking its host's addresses. The body is kept, up to {@code maxBytes},
   * only when {@code wantBody} says so from the status and headers; otherwise it is not downloaded.
   */
  Response get(URI uri, int maxBytes, Predicate<ResponseInfo> wantBody)
      throws IOException, RefusedAddressException, InterruptedException {
    List<InetAddress> checked = addressPolicy.check(uri.getHost());
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    if (!https && !"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IOException("not an http or https URL: " + uri);
    }
    HttpClient through = https ? httpsClients.forHost(uri.getHost()) : client;
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(pinned(uri, checked.get(0)))
            .version(HttpClient.Version.HTTP_1_1) // HTTP/2 would name the IP in :authority
            .header("Host", hostHeader(uri));
    HttpRequest request =
        builder
            .timeout(settings.firstByteTimeout())
            .header("User-Agent", settings.userAgent())
            .header("Accept", "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1")
            .header("Accept-Encoding", "gzip, deflate")
            .GET()
            .build();
    AtomicReference<LimitedBody> body = new AtomicReference<>();
    CompletableFuture<HttpResponse<LimitedBody.Bytes>> exchange =
        through.sendAsync(
            request,
            info -> {
              LimitedBody subscriber = new LimitedBody(wantBody.test(info) ? maxBytes : 0);
              body.set(subscriber);
              return subscriber;
            });
    HttpResponse<LimitedBody.Bytes> response;
    try {
      response = exchange.get(settings.totalTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      LimitedBody subscriber = body.get();
      if (subscriber != null) {
        subscriber.cancel();
      }
      throw new HttpTimeoutException(
          "no complete response within " + settings.totalTimeout().toMillis() + " ms");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }
    LimitedBody.Bytes raw = response.body();
    String encoding = response.headers().firstValue("content-encoding").orElse("identity").strip();
    Decoded decoded = decode(encoding.toLowerCase(Locale.ROOT), raw.bytes(), maxBytes);
    return new Response(
        uri,
        response.statusCode(),
        response.headers(),
        decoded.bytes(),
        raw.truncated() || decoded.truncated());
  }

  /** The URL with its host replaced by the address: where the connection goes. */
  static URI pinned(URI uri, InetAddress address) throws UnknownHostException {
    // getByAddress drops an IPv6 scope id, which a URI could not carry as it is
    String literal = InetAddress.getByAddress(address.getAddress()).getHostAddress();
    if (address instanceof Inet6Address) {
      literal = "[" + literal + "]";
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return URI.create(scheme + "://" + literal + ":" + port + path + query);
  }

  /** The Host header of a URL: its host, and its port unless the default. */
  static String hostHeader(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  private record Decoded(byte[] bytes, boolean truncated) {}

  private static Decoded decode(String encoding, byte[] raw, int maxBytes) throws IOException {
    return switch (encoding) {
      case "identity", "" -> new Decoded(raw, false);
      case "gzip", "x-gzip" ->
          inflate(new GZIPInputStream(new ByteArrayInputStream(raw)), maxBytes);
      case "deflate" -> inflateDeflate(raw, maxBytes);
      default -> throw new IOException("unsupported Content-Encoding: " + encoding);
    };
  }

  /**
   * HTTP's "deflate" is zlib (RFC 1950), but some servers send raw deflate (RFC 1951): try both.
   */
  private static Decoded inflateDeflate(byte[] raw, int maxBytes) throws IOException {
    try {
      return inflate(new InflaterInputStream(new ByteArrayInputStream(raw)), maxBytes);
    } catch (ZipException e) {
      return inflate(
          new InflaterInputStream(new ByteArrayInputStream(raw), new Inflater(true)), maxBytes);
    }
  }

  /** Decodes up to maxBytes; a stream cut short (the raw body was cut) keeps what was decoded. */
  private static Decoded inflate(InputStream in, int maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (in) {
      while (out.size() <= maxBytes) {
        int read = in.read(buffer);
        if (read < 0) {
          return new Decoded(out.toByteArray(), false);
        }
        out.write(buffer, 0, read);
      }
    } catch (EOFException e) {
      return new Decoded(out.toByteArray(), true);
    }
    byte[] all = out.toByteArray();
    return new Decoded(java.util.Arrays.copyOf(all, maxBytes), true);
  }

  @Override
  public void close() {
    // HttpClient is AutoCloseable only from Java 21; its threads end once it is unreachable.
  }

  /**
   * Collects a body up to a limit, then cancels the subscription so that the rest is never
   * downloaded: an endless body costs at most the limit.
   */
  static final class LimitedBody implements BodySubscriber<LimitedBody.Bytes> {

    record Bytes(byte[] bytes, boolean truncated) {}

    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<Bytes> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<Bytes> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return; // cut at the limit, or cancelled: what still arrives is dropped
      }
      for (ByteBuffer buffer : buffers) {
        int room = limit - out.size();
        if (buffer.remaining() > room) {
          byte[] kept = new byte[room];
          buffer.get(kept);
          out.write(kept, 0, room);
          result.complete(new Bytes(out.toByteArray(), true));
          subscription.cancel();
          return;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        out.write(bytes, 0, bytes.length);
      }
      subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(new Bytes(out.toByteArray(), false));
    }

    void cancel() {
      Flow.Subscription current = subscription;
      if (current != null) {
        current.cancel();
      }
      result.completeExceptionally(new HttpTimeoutException("cancelled"));
    }
  }
}
