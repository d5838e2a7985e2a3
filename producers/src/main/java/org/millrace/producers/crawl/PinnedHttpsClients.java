package org.millrace.producers.crawl;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * One {@link HttpClient} per https host name, for requests that connect to an IP address that was
 * checked ({@link PageFetcher}) while TLS still speaks to the name: the client's {@link
 * SSLParameters} send the name in SNI, and the JDK's trust manager checks the certificate against
 * that SNI name (an IP-literal URL gives {@code HttpClient} no name of its own to put there).
 *
 * <p>Why one client, and one {@link SSLContext}, per name: SNI is a setting of the client, not of
 * the request; and an {@code SSLContext} caches TLS sessions by address and port, so a shared one
 * would resume a session made for one name when another name on the same address is asked for,
 * without checking a certificate for it. The last {@value #MAX_CLIENTS} names used keep their
 * client (and its kept-alive connections); an older one is dropped, and its threads end once it is
 * unreachable. HTTP/1.1 only: over HTTP/2 {@code :authority} would name the IP address.
 */
final class PinnedHttpsClients {

  static final int MAX_CLIENTS = 64;

  private final TrustManager[] trust;
  private final Duration connectTimeout;
  private final Map<String, HttpClient> clients =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
          return size() > MAX_CLIENTS;
        }
      };

  /**
   * @param trust the trust managers that check certificates; null: the JVM's default trust store
   */
  PinnedHttpsClients(TrustManager[] trust, Duration connectTimeout) {
    this.trust = trust == null ? defaultTrust() : trust.clone();
    this.connectTimeout = connectTimeout;
  }

  /** The client for a URL's host: a name (sent in SNI) or an IP literal (no SNI). */
  synchronized HttpClient forHost(String host) throws IOException {
    HttpClient client = clients.get(host);
    if (client == null) {
      client = create(host);
      clients.put(host, client);
    }
    return client;
  }

  private HttpClient create(String host) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust, null);
      SSLParameters parameters = context.getDefaultSSLParameters();
      boolean literal = host.startsWith("[") || Ipv4Literal.parse(host).isPresent();
      parameters.setServerNames(literal ? List.of() : List.of(new SNIHostName(host)));
      return HttpClient.newBuilder()
          .sslContext(context)
          .sslParameters(parameters)
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(connectTimeout)
          .followRedirects(HttpClient.Redirect.NEVER)
          .proxy(HttpClient.Builder.NO_PROXY)
          .build();
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot send " + host + " as a TLS server name: " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static TrustManager[] defaultTrust() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM's default trust store cannot be read", e);
    }
  }
}
