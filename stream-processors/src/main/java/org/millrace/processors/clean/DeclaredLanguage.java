package org.millrace.processors.clean;

import java.util.Locale;
import java.util.regex.Pattern;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The language a page declares: {@code <html lang>} (or {@code xml:lang}), else {@code <meta
 * http-equiv="content-language">}, as a BCP 47 tag in its canonical case ({@code en-US}); null when
 * it declares none or something that is not a language tag. A declaration, not a detection: pages
 * often keep their template's {@code lang="en"} whatever they say.
 */
final class DeclaredLanguage {

  private static final Pattern LANGUAGE_TAG =
      Pattern.compile("[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,8}");

  private DeclaredLanguage() {}

  static String of(Document document) {
    Element html = document.selectFirst("html");
    if (html != null) {
      String tag = tagOf(html.hasAttr("lang") ? html.attr("lang") : html.attr("xml:lang"));
      if (tag != null) {
        return tag;
      }
    }
    for (Element meta : document.select("meta[http-equiv]")) {
      if (meta.attr("http-equiv").strip().equalsIgnoreCase("content-language")) {
        String tag = tagOf(meta.attr("content"));
        if (tag != null) {
          return tag;
        }
      }
    }
    return null;
  }

  /** The first tag of a declaration ("en-US", "de, en"), canonical, or null. */
  static String tagOf(String declared) {
    String first = declared.split(",", 2)[0].strip().replace('_', '-');
    if (!LANGUAGE_TAG.matcher(first).matches()) {
      return null;
    }
    String canonical = Locale.forLanguageTag(first).toLanguageTag();
    return canonical.equals("und") ? null : canonical;
  }
}
