package org.millrace.processors.clean;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.millrace.runtime.testing.SharedTestData;
import org.millrace.schemas.RawDocument;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcReader;
import org.netpreserve.jwarc.WarcRecord;
import org.netpreserve.jwarc.WarcResponse;

/**
 * The HTML pages of the shared data's WARC files (real Common Crawl and warcio records), as
 * RawDocuments. Tests that use them skip, loudly, where the shared data is absent (a fresh clone).
 */
final class CommonCrawlPages {

  private CommonCrawlPages() {}

  /** The HTML response records of the named WARC files, in file order. */
  static List<RawDocument> htmlResponses(String... warcFiles) throws IOException {
    Path warcs = SharedTestData.warcs();
    List<RawDocument> pages = new ArrayList<>();
    for (String file : warcFiles) {
      try (WarcReader reader = new WarcReader(warcs.resolve(file))) {
        for (WarcRecord record : reader) {
          if (record instanceof WarcResponse response) {
            MediaType type = response.http().contentType();
            if (type.base().equals(MediaType.HTML)) {
              byte[] body = response.http().bodyDecoded().stream().readAllBytes();
              pages.add(
                  RawDocument.newBuilder()
                      .setId(response.id().toString())
                      .setUrl(response.target())
                      .setSource(file)
                      .setContentType(type.toString())
                      .setBody(ByteBuffer.wrap(body))
                      .build());
            }
          }
        }
      }
    }
    return pages;
  }

  /** The one page of {@code warcFile} whose URL is {@code url}. */
  static RawDocument page(String warcFile, String url) throws IOException {
    return htmlResponses(warcFile).stream()
        .filter(page -> page.getUrl().equals(url))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no HTML response for " + url + " in " + warcFile));
  }
}
