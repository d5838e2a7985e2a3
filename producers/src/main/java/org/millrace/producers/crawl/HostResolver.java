package org.millrace.producers.crawl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into its addresses. The crawler resolves each host once per request, checks
 * every address with {@link AddressPolicy}, and connects to a checked one ({@link PageFetcher}), so
 * this is the only lookup a request makes. A seam for tests: a name can resolve to a metadata
 * address, or to one address first and another the next time (DNS rebinding), without a DNS server
 * of our own.
 */
@FunctionalInterface
interface HostResolver {

  /** The host's addresses, at least one; never called with an IP literal. */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The JVM's resolver ({@link InetAddress#getAllByName}, with its address cache). */
  static HostResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
