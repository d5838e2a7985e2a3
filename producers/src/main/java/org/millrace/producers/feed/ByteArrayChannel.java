package org.millrace.producers.feed;

import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * The bytes of an array as a read-only channel that knows its size: jwarc's HTTP parser takes a
 * body to the end of such a channel, as it does to the end of a WARC record.
 */
final class ByteArrayChannel implements SeekableByteChannel {

  private final byte[] bytes;
  private int position;
  private boolean open = true;

  ByteArrayChannel(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public int read(ByteBuffer target) {
    if (position >= bytes.length) {
      return -1;
    }
    int length = Math.min(target.remaining(), bytes.length - position);
    target.put(bytes, position, length);
    position += length;
    return length;
  }

  @Override
  public int write(ByteBuffer source) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long newPosition) {
    position = (int) Math.min(newPosition, bytes.length);
    return this;
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
