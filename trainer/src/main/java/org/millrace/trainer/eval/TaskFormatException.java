package org.millrace.trainer.eval;

/** A task file that cannot be read: the message names the file and, when there is one, the line. */
public final class TaskFormatException extends IllegalArgumentException {

  public TaskFormatException(String source, int line, String problem) {
    super(source + (line > 0 ? " line " + line : "") + ": " + problem);
  }
}
