package org.millrace.processors.filter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A document as the filter chain sees it: where it came from, its text (which a filter may
 * rewrite), its metadata (to which a filter may add), and the signals the filters measured, in the
 * order they measured them. Not thread-safe: one document goes through one chain at a time.
 */
public final class FilterDocument {

  /** The metadata key that marks a document's kind; the code feeder sets it to {@link #CODE}. */
  public static final String KIND = "kind";

  public static final String CODE = "code";

  private final String id;
  private final String url;
  private String text;
  private final Map<String, String> metadata;
  private final Map<String, Double> signals = new LinkedHashMap<>();

  public FilterDocument(String id, String url, String text, Map<String, String> metadata) {
    this.id = id;
    this.url = url;
    this.text = text;
    this.metadata = new LinkedHashMap<>(metadata);
  }

  /** A document with no URL and no metadata, for tests and {@code millrace inspect}. */
  public static FilterDocument ofText(String text) {
    return new FilterDocument("text", null, text, Map.of());
  }

  public String id() {
    return id;
  }

  /** The URL the document was fetched from, or null. */
  public String url() {
    return url;
  }

  public String text() {
    return text;
  }

  /** Replaces the text, for filters that remove lines or redact. */
  public void setText(String text) {
    this.text = text;
  }

  public Map<String, String> metadata() {
    return Collections.unmodifiableMap(metadata);
  }

  public void putMetadata(String key, String value) {
    metadata.put(key, value);
  }

  /** Whether this is source code (from the code feeder), which takes its own filter chain. */
  public boolean isCode() {
    return CODE.equals(metadata.get(KIND));
  }

  /** Records a signal a filter measured, under {@code <filter>.<signal>}. */
  public void signal(String filter, String signal, double value) {
    signals.put(filter + "." + signal, value);
  }

  /** Every signal measured so far, in the order measured. */
  public Map<String, Double> signals() {
    return Collections.unmodifiableMap(signals);
  }
}
