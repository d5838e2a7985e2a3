package org.millrace.producers.crawl;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads a URL host that is an IPv4 address however it is spelled, as the WHATWG URL standard
 * (section 3.5, "IPv4 parser") and so every browser does: {@code 127.1}, {@code 2130706433}, {@code
 * 0x7f.0.0.1} and {@code 0177.0.0.1} are all 127.0.0.1.
 *
 * <p>Why: the JDK reads some of these spellings and not others, and differently ({@code
 * InetAddress} takes {@code 0177.0.0.1} for 177.0.0.1 and hands {@code 0x7f.0.0.1} to the system
 * resolver, which reads it as 127.0.0.1); {@code java.net.URI} gives no host at all for {@code
 * 127.1}. Reading them one way, the browsers' way, before anything else looks at the host means
 * that the address policy checks the address a page meant, and that one page has one URL.
 */
final class Ipv4Literal {

  private Ipv4Literal() {}

  /**
   * The address, when the host's last label is a number (decimal, {@code 0x} hex or {@code 0}
   * octal); empty when the host is a name.
   *
   * @throws IllegalArgumentException when the host ends in a number but is not a valid IPv4 address
   *     ({@code 256.0.0.1}, {@code 1.2.3.4.5}, {@code 0x1g.0.0.1}): not a valid URL host
   */
  static Optional<Inet4Address> parse(String host) {
    String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] parts = text.split("\\.", -1);
    if (parts.length == 0 || !isNumber(parts[parts.length - 1])) {
      return Optional.empty();
    }
    if (parts.length > 4) {
      throw new IllegalArgumentException("not an IPv4 address: more than four parts: " + host);
    }
    long[] numbers = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      numbers[i] = number(parts[i], host);
    }
    for (int i = 0; i < numbers.length - 1; i++) {
      if (numbers[i] > 255) {
        throw new IllegalArgumentException("not an IPv4 address: a part above 255: " + host);
      }
    }
    long last = numbers[numbers.length - 1];
    if (last >= 1L << (8 * (5 - numbers.length))) {
      throw new IllegalArgumentException("not an IPv4 address: out of range: " + host);
    }
    long value = last;
    for (int i = 0; i < numbers.length - 1; i++) {
      value += numbers[i] << (8 * (3 - i));
    }
    byte[] bytes = {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
    try {
      return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /** WHATWG "ends in a number": all decimal digits, or {@code 0x} and hex digits. */
  private static boolean isNumber(String part) {
    if (!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return (part.startsWith("0x") || part.startsWith("0X"))
        && part.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  private static long number(String part, String host) {
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x") || part.startsWith("0X")) {
      radix = 16;
      digits = part.substring(2);
    } else if (part.length() > 1 && part.startsWith("0")) {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.isEmpty()) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException("not an IPv4 address: an empty part: " + host);
      }
      return 0; // "0x" is zero
    }
    if (digits.length() > 12) {
      throw new IllegalArgumentException("not an IPv4 address: out of range: " + host);
    }
    try {
      return Long.parseLong(digits, radix);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an IPv4 address: " + host, e);
    }
  }
}
