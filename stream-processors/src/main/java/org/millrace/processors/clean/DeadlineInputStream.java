package org.millrace.processors.clean;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that checks a {@link Deadline} before each read, so that a parser reading a huge
 * page stops within one buffer of the deadline. jsoup reads its input in buffers as it parses, so
 * this bounds its parse time without a second thread.
 */
final class DeadlineInputStream extends FilterInputStream {

  private final Deadline deadline;

  DeadlineInputStream(InputStream in, Deadline deadline) {
    super(in);
    this.deadline = deadline;
  }

  @Override
  public int read() throws IOException {
    deadline.check();
    return super.read();
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    deadline.check();
    return super.read(buffer, offset, length);
  }

  @Override
  public long skip(long n) throws IOException {
    deadline.check();
    return super.skip(n);
  }
}
