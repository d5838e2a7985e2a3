package org.millrace.producers.crawl;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the crawler off addresses that are not the public internet: loopback, private (RFC 1918,
 * IPv6 unique-local, which holds AWS's IPv6 metadata service at fd00:ec2::254), link-local (the
 * cloud metadata service at 169.254.169.254), carrier-grade NAT (100.64.0.0/10, Alibaba's metadata
 * at 100.100.100.200), unspecified, multicast and reserved ranges. A page on the web could
 * otherwise make the crawler read an internal service and publish its answer as a document
 * (server-side request forgery).
 *
 * <p>What it checks: the host is resolved once ({@link HostResolver}; IP literals, however spelled,
 * are read without a lookup, {@link Ipv4Literal}) and refused if ANY of its addresses is not
 * public, unless an allow-list range holds it. {@link #check} returns the addresses it checked:
 * {@link PageFetcher} connects to one of those, not to the name, so that a DNS server that answers
 * a public address first and a private one a moment later (DNS rebinding) cannot move the
 * connection, over http or https. Proxies are not used.
 */
public final class AddressPolicy {

  private static final List<Cidr> NOT_PUBLIC =
      List.of(
          Cidr.parse("0.0.0.0/8"),
          Cidr.parse("100.64.0.0/10"),
          Cidr.parse("192.0.0.0/24"),
          Cidr.parse("192.0.2.0/24"),
          Cidr.parse("198.18.0.0/15"),
          Cidr.parse("198.51.100.0/24"),
          Cidr.parse("203.0.113.0/24"),
          Cidr.parse("240.0.0.0/4"),
          Cidr.parse("fc00::/7"),
          Cidr.parse("2001:db8::/32"),
          Cidr.parse("64:ff9b:1::/48"));

  private final List<Cidr> allowed;
  private final boolean allowAll;
  private final HostResolver resolver;

  private AddressPolicy(List<Cidr> allowed, boolean allowAll, HostResolver resolver) {
    this.allowed = allowed;
    this.allowAll = allowAll;
    this.resolver = resolver;
  }

  /** Public addresses only: the default. */
  public static AddressPolicy publicOnly() {
    return new AddressPolicy(List.of(), false, HostResolver.system());
  }

  /** The same policy, resolving names with {@code resolver}: for tests. */
  AddressPolicy resolvingWith(HostResolver resolver) {
    return new AddressPolicy(allowed, allowAll, resolver);
  }

  /**
   * Public addresses and the allow-list's ranges ({@code 127.0.0.0/8}, {@code 10.1.2.3}, {@code
   * ::1/128}); the single entry {@code *} allows every address.
   */
  public static AddressPolicy allowing(List<String> ranges) {
    if (ranges.contains("*")) {
      return new AddressPolicy(List.of(), true, HostResolver.system());
    }
    return new AddressPolicy(
        ranges.stream().map(Cidr::parse).toList(), false, HostResolver.system());
  }

  /**
   * Resolves the host once and refuses it unless every address it resolves to may be visited.
   *
   * @param host a URL's host: a name, an IPv4 address in any spelling, or {@code [IPv6]}
   * @return the addresses checked, at least one: connect to one of these, not to the name
   */
  public List<InetAddress> check(String host) throws RefusedAddressException, UnknownHostException {
    List<InetAddress> addresses = addressesOf(host);
    if (allowAll) {
      return addresses;
    }
    for (InetAddress address : addresses) {
      if (!isPublic(address) && allowed.stream().noneMatch(range -> range.contains(address))) {
        String resolved = address.getHostAddress();
        throw new RefusedAddressException(
            (host.equals(resolved) ? host : host + " resolves to " + resolved)
                + ", which is not a public address (--allow-private opens it)");
      }
    }
    return addresses;
  }

  /** IP literals as they are, names through the resolver. */
  private List<InetAddress> addressesOf(String host) throws UnknownHostException {
    if (host == null || host.isEmpty()) {
      throw new UnknownHostException("no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      String literal = host.substring(1, host.length() - 1);
      if (!literal.matches("[0-9a-fA-F:.]+")) {
        throw new UnknownHostException("not an IPv6 address: " + host); // no zone ids, no names
      }
      return List.of(InetAddress.getByName(literal));
    }
    Optional<Inet4Address> ipv4;
    try {
      ipv4 = Ipv4Literal.parse(host);
    } catch (IllegalArgumentException e) {
      throw new UnknownHostException(e.getMessage());
    }
    if (ipv4.isPresent()) {
      return List.of(ipv4.get());
    }
    if (host.indexOf(':') >= 0) {
      throw new UnknownHostException("an IPv6 address must be in brackets: " + host);
    }
    List<InetAddress> addresses = resolver.resolve(host);
    if (addresses.isEmpty()) {
      throw new UnknownHostException(host + " has no addresses");
    }
    return addresses;
  }

  /** Whether the address is on the public internet. */
  static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      InetAddress embedded = embeddedIpv4(bytes);
      if (embedded != null) {
        return isPublic(embedded);
      }
    }
    return NOT_PUBLIC.stream().noneMatch(range -> range.contains(address))
        && !(address instanceof Inet4Address && (address.getAddress()[0] & 0xff) == 255);
  }

  /** The IPv4 address inside an IPv4-compatible, IPv4-mapped or NAT64 (64:ff9b::/96) address. */
  private static InetAddress embeddedIpv4(byte[] bytes) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= bytes[i] == 0;
    }
    boolean mapped = zeroPrefix && (bytes[10] & bytes[11] & 0xff) == 0xff;
    boolean compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0;
    boolean nat64 =
        bytes[0] == 0 && bytes[1] == 0x64 && (bytes[2] & 0xff) == 0xff && bytes[3] == (byte) 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = bytes[i] == 0;
    }
    if (!mapped && !compatible && !nat64) {
      return null;
    }
    try {
      return InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /** Thrown when a URL's host resolves to an address the policy refuses. */
  public static final class RefusedAddressException extends Exception {
    RefusedAddressException(String message) {
      super(message, null, false, false);
    }
  }

  /** An address range: {@code 10.0.0.0/8}, {@code fc00::/7}, or one address. */
  record Cidr(byte[] network, int prefixLength) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      if (!address.matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException("not an IP address range (no host names): " + text);
      }
      try {
        byte[] bytes = InetAddress.getByName(address).getAddress();
        int length = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        if (length < 0 || length > bytes.length * 8) {
          throw new IllegalArgumentException("prefix length out of range: " + text);
        }
        return new Cidr(bytes, length);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not an IP address range: " + text, e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      for (int bit = 0; bit < prefixLength; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
