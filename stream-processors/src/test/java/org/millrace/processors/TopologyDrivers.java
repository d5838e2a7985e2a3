package org.millrace.processors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.millrace.runtime.config.KafkaClientProperties;
import org.millrace.runtime.config.MillraceConfig;

/** A TopologyTestDriver with the properties the stage really runs with. */
public final class TopologyDrivers {

  private TopologyDrivers() {}

  public static TopologyTestDriver driver(
      Topology topology, MillraceConfig config, String applicationId, Path stateDir) {
    Properties properties = KafkaClientProperties.streams(config, applicationId);
    properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return new TopologyTestDriver(topology, properties);
  }

  public static String utf8(ByteBuffer buffer) {
    return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
