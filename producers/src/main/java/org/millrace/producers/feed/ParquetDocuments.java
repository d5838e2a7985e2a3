package org.millrace.producers.feed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.millrace.schemas.reject.RejectReason;

/**
 * Reads a Parquet file (a Hugging Face dataset or FineWeb shard) row by row, without Hadoop's file
 * system: {@link LocalInputFile} and a {@link PlainParquetConfiguration}. Hadoop's hadoop-common
 * jar is on the class path only because parquet-hadoop's classes name some of its types; none of
 * its dependencies are. A row is a document of its text column (default "text"); its "id" and "url"
 * columns, when there, are the document's id and URL, as in JSONL; every other top-level scalar
 * column is metadata (nested and repeated columns are not read at all). A row's source is {@code
 * file:PATH#row=N}, counting from 1.
 */
final class ParquetDocuments {

  private ParquetDocuments() {}

  static void read(Path file, String fileSource, String textField, RecordSink sink)
      throws IOException {
    ParquetFileReader reader;
    try {
      // Plain options: the default ones build a Hadoop Configuration, which needs half of Hadoop.
      reader =
          ParquetFileReader.open(
              new LocalInputFile(file),
              ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
    } catch (IOException | RuntimeException e) {
      sink.rejected(
          fileSource,
          RejectReason.MALFORMED_PARQUET,
          "not a readable Parquet file: " + e,
          new byte[0],
          0);
      return;
    }
    try (reader) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      MessageType scalars = scalarColumnsOf(schema);
      if (!scalars.containsField(textField)
          || !scalars
              .getType(textField)
              .asPrimitiveType()
              .getPrimitiveTypeName()
              .name()
              .equals("BINARY")) {
        sink.rejected(
            fileSource,
            RejectReason.NOT_A_DOCUMENT,
            "no string column '" + textField + "' in " + schema.toString().strip(),
            new byte[0],
            0);
        return;
      }
      reader.setRequestedSchema(scalars);
      long row = 0;
      PageReadStore rowGroup;
      while ((rowGroup = nextRowGroup(reader, fileSource, row, sink)) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory()
                .getColumnIO(scalars)
                .getRecordReader(rowGroup, new GroupRecordConverter(scalars));
        for (long i = 0; i < rowGroup.getRowCount(); i++) {
          row++;
          publish(records.read(), scalars, fileSource + "#row=" + row, textField, sink);
        }
      }
    }
  }

  private static PageReadStore nextRowGroup(
      ParquetFileReader reader, String fileSource, long rowsRead, RecordSink sink) {
    try {
      return reader.readNextRowGroup();
    } catch (IOException | RuntimeException e) {
      sink.rejected(
          fileSource + "#row=" + (rowsRead + 1),
          RejectReason.MALFORMED_PARQUET,
          "row group after row " + rowsRead + " unreadable, the rest of the file not fed: " + e,
          new byte[0],
          0);
      return null;
    }
  }

  private static void publish(
      Group group, MessageType schema, String source, String textField, RecordSink sink) {
    Map<String, String> metadata = new HashMap<>();
    String text = null;
    String id = null;
    String url = null;
    for (int field = 0; field < schema.getFieldCount(); field++) {
      if (group.getFieldRepetitionCount(field) == 0) {
        continue;
      }
      String name = schema.getFieldName(field);
      String value = group.getValueToString(field, 0);
      if (name.equals(textField)) {
        text = value;
      } else if (name.equals("id")) {
        id = value;
      } else if (name.equals("url")) {
        url = value;
      } else {
        metadata.put(name, value);
      }
    }
    if (text == null) {
      sink.rejected(
          source, RejectReason.NOT_A_DOCUMENT, "column '" + textField + "' is null", null, 0);
      return;
    }
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    if (body.length > sink.documentMaxBytes()) {
      sink.rejected(
          source,
          RejectReason.TOO_LARGE,
          "text of "
              + body.length
              + " bytes exceeds documents.max.bytes = "
              + sink.documentMaxBytes(),
          body,
          body.length);
      return;
    }
    sink.plainTextDocument(
        id == null || id.isBlank() ? Feeder.idOf(source) : id, url, source, body, metadata);
  }

  /** The top-level columns that hold one value per row: the ones a document can use. */
  private static MessageType scalarColumnsOf(MessageType schema) {
    List<Type> scalars = new ArrayList<>();
    for (Type field : schema.getFields()) {
      if (field.isPrimitive() && !field.isRepetition(Type.Repetition.REPEATED)) {
        scalars.add(field);
      }
    }
    return new MessageType(schema.getName(), scalars);
  }
}
