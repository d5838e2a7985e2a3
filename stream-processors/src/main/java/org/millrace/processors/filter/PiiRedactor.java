package org.millrace.processors.filter;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces e-mail addresses and public IPv4 addresses with placeholders, as datatrove's {@code
 * PIIFormatter} does ({@code src/datatrove/pipeline/formatters/pii.py}), and never drops a
 * document. Private, loopback, link-local, shared (CGNAT), benchmarking, documentation, multicast
 * and reserved addresses are left alone: they name no one, and code and tutorials are full of them.
 *
 * <p>Where this differs from datatrove, on purpose:
 *
 * <ul>
 *   <li>An address must stand on its own: datatrove's IP pattern has no boundaries, so it rewrites
 *       the {@code 1.2.3.4} inside a version number {@code 1.2.3.4.5} and the {@code 99.1.1.1}
 *       inside {@code 999.1.1.1}. Here the digits may not touch a word character, nor a dot
 *       followed by one.
 *   <li>The placeholders cycle within one document, starting from the first for every document, so
 *       that the output depends on the document alone (datatrove's cycle runs across the documents
 *       of a worker, which would make a replayed partition differ).
 *   <li>The local part of an address is at most 64 characters (RFC 5321, section 4.5.3.1.1): the
 *       bound keeps the pattern linear on long runs of address characters with no {@code @}.
 *   <li>Multicast addresses (224.0.0.0/4) are left alone; Python's {@code is_global}, which
 *       datatrove asks, counts them as global.
 * </ul>
 *
 * <p>IPv6 addresses are not touched, as in datatrove.
 */
public record PiiRedactor(Settings settings) implements DocumentFilter {

  /**
   * @param redactEmails whether to replace e-mail addresses
   * @param redactIpAddresses whether to replace public IPv4 addresses
   * @param emailReplacements the placeholders for e-mail addresses, used in turn
   * @param ipReplacements the placeholders for IP addresses, used in turn
   */
  public record Settings(
      boolean redactEmails,
      boolean redactIpAddresses,
      List<String> emailReplacements,
      List<String> ipReplacements) {

    /**
     * datatrove's defaults: example.com and example.org are reserved for examples (RFC 2606), and
     * the IP placeholders are datatrove's list of random addresses that did not answer pings when
     * it was made.
     */
    public static final Settings DEFAULTS =
        new Settings(
            true,
            true,
            List.of("email@example.com", "firstname.lastname@example.org"),
            List.of(
                "22.214.171.124",
                "126.96.36.199",
                "188.8.131.52",
                "184.108.40.206",
                "220.127.116.11",
                "18.104.22.168"));

    public Settings {
      emailReplacements = List.copyOf(emailReplacements);
      ipReplacements = List.copyOf(ipReplacements);
      if (emailReplacements.isEmpty() || ipReplacements.isEmpty()) {
        throw new IllegalArgumentException("PII placeholders: each list needs at least one entry");
      }
    }
  }

  private static final String LOCAL_CHAR = "[A-Za-z0-9!#$%\\&'*+/=?^_`{|}~-]";
  private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)";
  private static final String IPV4 = "(?:" + OCTET + "\\.){3}" + OCTET;
  private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";

  /**
   * datatrove's e-mail pattern (a simplified RFC 5322 address: dot-atoms, a domain or a bracketed
   * IPv4 literal), with the local part bounded by the look-ahead.
   */
  private static final Pattern EMAIL =
      Pattern.compile(
          "\\b(?=[A-Za-z0-9!#$%\\&'*+/=?^_`{|}~.-]{1,64}@)"
              + LOCAL_CHAR
              + "+(?:\\."
              + LOCAL_CHAR
              + "+)*@(?:(?:"
              + LABEL
              + "\\.)+"
              + LABEL
              + "|\\["
              + IPV4
              + "\\])");

  /** Four octets that touch no word character and no dot followed by one on either side. */
  private static final Pattern IP_ADDRESS =
      Pattern.compile("(?<!\\w)(?<!\\w\\.)(" + IPV4 + ")(?!\\w)(?!\\.\\w)");

  @Override
  public String name() {
    return "pii";
  }

  @Override
  public FilterVerdict apply(FilterDocument document) {
    String text = document.text();
    int emails = 0;
    int ipAddresses = 0;
    if (settings.redactEmails() && text.indexOf('@') >= 0) {
      Replacement replaced = replace(text, EMAIL, settings.emailReplacements(), false);
      text = replaced.text();
      emails = replaced.count();
    }
    if (settings.redactIpAddresses()) {
      Replacement replaced = replace(text, IP_ADDRESS, settings.ipReplacements(), true);
      text = replaced.text();
      ipAddresses = replaced.count();
    }
    document.signal(name(), "emails", emails);
    document.signal(name(), "ip_addresses", ipAddresses);
    if (emails + ipAddresses > 0) {
      document.setText(text);
    }
    return FilterVerdict.keep();
  }

  private record Replacement(String text, int count) {}

  private static Replacement replace(
      String text, Pattern pattern, List<String> placeholders, boolean publicAddressesOnly) {
    Matcher matcher = pattern.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int count = 0;
    while (matcher.find()) {
      if (publicAddressesOnly && !isPublicAddress(matcher.group())) {
        continue;
      }
      String placeholder = placeholders.get(count % placeholders.size());
      matcher.appendReplacement(out, Matcher.quoteReplacement(placeholder));
      count++;
    }
    if (count == 0) {
      return new Replacement(text, 0);
    }
    matcher.appendTail(out);
    return new Replacement(out.toString(), count);
  }

  /**
   * Whether a dotted quad is a public unicast address: not in any of the IANA special-purpose
   * blocks that name no one (RFC 6890 and its updates), and written without leading zeros (which
   * Python's {@code ipaddress}, and so datatrove, refuses as ambiguous octal).
   */
  static boolean isPublicAddress(String dottedQuad) {
    String[] parts = dottedQuad.split("\\.");
    int a = 0;
    for (String part : parts) {
      if (part.length() > 1 && part.charAt(0) == '0') {
        return false;
      }
      a = (a << 8) | Integer.parseInt(part);
    }
    for (int[] block : NON_PUBLIC_BLOCKS) {
      int mask = block[1] == 0 ? 0 : -1 << (32 - block[1]);
      if ((a & mask) == (block[0] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** {network, prefix length} of the blocks left alone. */
  private static final int[][] NON_PUBLIC_BLOCKS = {
    {ipv4(0, 0, 0, 0), 8}, // "this network"
    {ipv4(10, 0, 0, 0), 8}, // private (RFC 1918)
    {ipv4(100, 64, 0, 0), 10}, // shared address space, carrier-grade NAT (RFC 6598)
    {ipv4(127, 0, 0, 0), 8}, // loopback
    {ipv4(169, 254, 0, 0), 16}, // link-local (RFC 3927)
    {ipv4(172, 16, 0, 0), 12}, // private (RFC 1918)
    {ipv4(192, 0, 0, 0), 24}, // IETF protocol assignments (RFC 6890)
    {ipv4(192, 0, 2, 0), 24}, // documentation, TEST-NET-1 (RFC 5737)
    {ipv4(192, 168, 0, 0), 16}, // private (RFC 1918)
    {ipv4(198, 18, 0, 0), 15}, // benchmarking (RFC 2544)
    {ipv4(198, 51, 100, 0), 24}, // documentation, TEST-NET-2 (RFC 5737)
    {ipv4(203, 0, 113, 0), 24}, // documentation, TEST-NET-3 (RFC 5737)
    {ipv4(224, 0, 0, 0), 4}, // multicast (RFC 5771)
    {ipv4(240, 0, 0, 0), 4}, // reserved, and the limited broadcast address
  };

  private static int ipv4(int a, int b, int c, int d) {
    return (a << 24) | (b << 16) | (c << 8) | d;
  }
}
