package org.millrace.producers.feed;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.netpreserve.jwarc.HttpParser;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageHeaders;
import org.netpreserve.jwarc.ParsingException;

/**
 * The HTTP responses of a WARC file's response records, each held in one array of its record's
 * length: the header parsed by one jwarc {@link HttpParser}, reset for every record, and a payload
 * sent as a view of the same array when it is neither chunked nor content-encoded (nearly all of
 * Common Crawl's: their records hold the payload decoded). jwarc's own {@code WarcResponse.http()}
 * allocates a parser and an 8 KiB buffer per record, and the payload was copied from its stream
 * into an array of its own: a profile of {@code bench feed} put reading the records ahead of gunzip
 * (docs/benchmarks.md). Chunked and encoded payloads are decoded by jwarc, from the same array.
 */
final class HttpResponseBytes {

  private final HttpParser parser = new HttpParser();

  /**
   * A parsed response.
   *
   * @param message the whole HTTP message: header and payload
   * @param payloadOffset where the payload starts in {@code message}
   */
  record Response(int status, MessageHeaders headers, byte[] message, int payloadOffset) {

    /** As jwarc's {@code HttpMessage.contentType()}. */
    MediaType contentType() {
      return headers.sole("Content-Type").map(MediaType::parse).orElse(MediaType.OCTET_STREAM);
    }

    /** The payload is the bytes after the header as they are: not chunked, not encoded. */
    boolean payloadAsWritten() {
      List<String> encodings = headers.all("Content-Encoding");
      return !headers.contains("Transfer-Encoding", "chunked")
          && (encodings.isEmpty()
              || (encodings.size() == 1
                  && (encodings.get(0).equalsIgnoreCase("identity")
                      || encodings.get(0).equalsIgnoreCase("none"))));
    }

    /** The payload as it is written, a view of {@link #message}: no copy. */
    ByteBuffer payload() {
      return ByteBuffer.wrap(message, payloadOffset, message.length - payloadOffset).slice();
    }

    /** The same response as jwarc reads it, for {@link HttpResponse#bodyDecoded()}. */
    HttpResponse parsedByJwarc() throws IOException {
      return HttpResponse.parse(new ByteArrayChannel(message));
    }
  }

  /** Parses the header of the HTTP response that {@code message} holds (leniently, as jwarc). */
  Response parse(byte[] message) throws IOException {
    parser.reset();
    parser.lenientResponse();
    ByteBuffer buffer = ByteBuffer.wrap(message);
    parser.parse(buffer);
    if (parser.isError()) {
      throw new ParsingException("invalid HTTP response header at byte " + buffer.position());
    }
    if (!parser.isFinished()) {
      throw new EOFException("the record ends inside its HTTP response header");
    }
    return new Response(parser.status(), parser.headers(), message, buffer.position());
  }
}
