package org.millrace.processors.filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Drops documents by where they come from, in the manner of datatrove's {@code URLFilter} ({@code
 * src/datatrove/pipeline/filters/url_filter.py}), which FineWeb runs first: a blocked domain (the
 * host itself or any of its subdomains), a blocked substring of the URL, any banned word among the
 * URL's words, or at least {@code softBannedWordThreshold} soft-banned words.
 *
 * <p>Every list is empty by default: the lists datatrove ships (a curated subset of the Université
 * Toulouse 1 blacklist and its banned words) are not ours to redistribute, so users bring theirs
 * with {@link #fromFiles}. Documents without a URL are kept: there is nothing to judge.
 *
 * <p>Unlike datatrove, the URL is lower-cased before it is cut into words, so {@code /XXX/} meets
 * the banned word {@code xxx}, and words are runs of Unicode letters and digits, so an
 * internationalised URL is cut as well as an ASCII one.
 */
public final class UrlFilter implements DocumentFilter {

  /**
   * @param blockedDomains domains whose hosts and subdomains are dropped, lower case
   * @param blockedUrlSubstrings strings whose presence anywhere in the lower-cased URL drops it
   * @param bannedWords words of which one in the URL's words drops it
   * @param softBannedWords words of which {@code softBannedWordThreshold} drop it
   * @param softBannedWordThreshold how many distinct soft-banned words drop a URL
   */
  public record Settings(
      Set<String> blockedDomains,
      List<String> blockedUrlSubstrings,
      Set<String> bannedWords,
      Set<String> softBannedWords,
      int softBannedWordThreshold) {

    /** Empty lists (users bring theirs), and datatrove's soft threshold of 2. */
    public static final Settings DEFAULTS =
        new Settings(Set.of(), List.of(), Set.of(), Set.of(), 2);

    public Settings {
      blockedDomains = normalised(blockedDomains, UrlFilter::normaliseDomain);
      blockedUrlSubstrings =
          blockedUrlSubstrings.stream().map(entry -> entry.toLowerCase(Locale.ROOT)).toList();
      bannedWords = normalised(bannedWords, UrlFilter::normaliseWord);
      softBannedWords = normalised(softBannedWords, UrlFilter::normaliseWord);
      if (softBannedWordThreshold < 1) {
        throw new IllegalArgumentException(
            "softBannedWordThreshold must be at least 1, not " + softBannedWordThreshold);
      }
    }
  }

  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final Settings settings;

  public UrlFilter(Settings settings) {
    this.settings = settings;
  }

  /**
   * A filter whose lists are read from files, one entry per line, with blank lines and lines that
   * start with {@code #} ignored. A null path stands for an empty list.
   *
   * @throws UncheckedIOException naming the file, when one cannot be read
   */
  /**
   * The list files of {@code filters.url.*}: one entry per line, '#' comments; an empty name is an
   * empty list.
   */
  public record ListFiles(
      String blockedDomainsFile,
      String blockedUrlSubstringsFile,
      String bannedWordsFile,
      String softBannedWordsFile,
      int softBannedWordThreshold) {

    /** No lists (users bring theirs), and datatrove's soft threshold of 2. */
    public static final ListFiles DEFAULTS =
        new ListFiles("", "", "", "", Settings.DEFAULTS.softBannedWordThreshold());

    public UrlFilter read() {
      return fromFiles(
          pathOf(blockedDomainsFile),
          pathOf(blockedUrlSubstringsFile),
          pathOf(bannedWordsFile),
          pathOf(softBannedWordsFile),
          softBannedWordThreshold);
    }

    private static Path pathOf(String name) {
      return name.isBlank() ? null : Path.of(name);
    }
  }

  public static UrlFilter fromFiles(
      Path blockedDomains,
      Path blockedUrlSubstrings,
      Path bannedWords,
      Path softBannedWords,
      int softBannedWordThreshold) {
    return new UrlFilter(
        new Settings(
            new HashSet<>(readList(blockedDomains)),
            readList(blockedUrlSubstrings),
            new HashSet<>(readList(bannedWords)),
            new HashSet<>(readList(softBannedWords)),
            softBannedWordThreshold));
  }

  /** The entries of a list file, trimmed; an empty list for a null path. */
  public static List<String> readList(Path file) {
    if (file == null) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the URL filter list " + file.toAbsolutePath() + ": " + e, e);
    }
    List<String> entries = new ArrayList<>();
    for (String line : lines) {
      String entry = line.strip();
      if (!entry.isEmpty() && !entry.startsWith("#")) {
        entries.add(entry);
      }
    }
    return entries;
  }

  @Override
  public String name() {
    return "url";
  }

  @Override
  public FilterVerdict apply(FilterDocument document) {
    String url = document.url();
    if (url == null || url.isBlank()) {
      return FilterVerdict.keep();
    }
    String lowerUrl = url.toLowerCase(Locale.ROOT);
    String host = host(lowerUrl);
    String blockedDomain = blockedDomainOf(host);
    String blockedSubstring = blockedSubstringOf(lowerUrl);
    Set<String> words = new HashSet<>(Arrays.asList(NON_WORD.split(lowerUrl)));
    Set<String> banned = intersection(words, settings.bannedWords());
    Set<String> softBanned = intersection(words, settings.softBannedWords());

    document.signal(name(), "blocked_domain", blockedDomain == null ? 0 : 1);
    document.signal(name(), "blocked_substring", blockedSubstring == null ? 0 : 1);
    document.signal(name(), "banned_words", banned.size());
    document.signal(name(), "soft_banned_words", softBanned.size());

    if (blockedDomain != null) {
      return FilterVerdict.drop(
          "url_blocked_domain",
          1,
          1,
          "The host " + host + " is or is under the blocked domain " + blockedDomain + ".");
    }
    if (blockedSubstring != null) {
      return FilterVerdict.drop(
          "url_blocked_substring",
          1,
          1,
          "The URL contains the blocked string \"" + blockedSubstring + "\".");
    }
    if (!banned.isEmpty()) {
      return FilterVerdict.drop(
          "url_banned_word",
          banned.size(),
          1,
          "The URL has " + banned.size() + " banned word(s): " + banned + ".");
    }
    if (softBanned.size() >= settings.softBannedWordThreshold()) {
      return FilterVerdict.drop(
          "url_soft_banned_words",
          softBanned.size(),
          settings.softBannedWordThreshold(),
          "The URL has "
              + softBanned.size()
              + " soft-banned words "
              + softBanned
              + ", at least "
              + settings.softBannedWordThreshold()
              + ".");
    }
    return FilterVerdict.keep();
  }

  /** The blocked domain that is the host or one of its parents, or null. */
  private String blockedDomainOf(String host) {
    if (host.isEmpty() || settings.blockedDomains().isEmpty()) {
      return null;
    }
    for (String suffix = host; ; ) {
      if (settings.blockedDomains().contains(suffix)) {
        return suffix;
      }
      int dot = suffix.indexOf('.');
      if (dot < 0) {
        return null;
      }
      suffix = suffix.substring(dot + 1);
    }
  }

  /**
   * The first blocked substring in the URL, or null; a plain scan, fine for hundreds of entries.
   */
  private String blockedSubstringOf(String lowerUrl) {
    for (String entry : settings.blockedUrlSubstrings()) {
      if (lowerUrl.contains(entry)) {
        return entry;
      }
    }
    return null;
  }

  /**
   * The host of a lower-cased URL, read by hand rather than with {@link java.net.URI}, which
   * refuses many of the URLs found in crawls (spaces, unencoded characters): after the scheme, up
   * to the path, query or fragment, without user information, port or a final dot.
   */
  static String host(String url) {
    int start = url.indexOf("://");
    start = start < 0 ? 0 : start + 3;
    int end = start;
    while (end < url.length() && "/?#\\".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(start, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      return close < 0 ? authority : authority.substring(0, close + 1);
    }
    int colon = authority.indexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }

  private static Set<String> intersection(Set<String> words, Set<String> list) {
    Set<String> found = new TreeSet<>();
    for (String word : words) {
      if (list.contains(word)) {
        found.add(word);
      }
    }
    return found;
  }

  private static Set<String> normalised(Set<String> entries, UnaryOperator<String> normalise) {
    Set<String> result = new HashSet<>();
    for (String entry : entries) {
      String normalisedEntry = normalise.apply(entry);
      if (!normalisedEntry.isEmpty()) {
        result.add(normalisedEntry);
      }
    }
    return Set.copyOf(result);
  }

  /** {@code *.Example.COM.} and {@code .example.com} both mean {@code example.com}. */
  private static String normaliseDomain(String domain) {
    String result = domain.strip().toLowerCase(Locale.ROOT);
    if (result.startsWith("*.")) {
      result = result.substring(2);
    }
    if (result.startsWith(".")) {
      result = result.substring(1);
    }
    return result.endsWith(".") ? result.substring(0, result.length() - 1) : result;
  }

  /** As datatrove normalises its word lists: lower case, letters and digits only. */
  private static String normaliseWord(String word) {
    return NON_WORD.matcher(word.toLowerCase(Locale.ROOT)).replaceAll("");
  }
}
