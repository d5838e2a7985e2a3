package org.millrace.processors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
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

  /** The input topic {@code topic} of {@code driver}, taking bytes as a producer sends them. */
  public static TestInputTopic<byte[], byte[]> input(TopologyTestDriver driver, String topic) {
    return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * The output topic {@code topic} of {@code driver}: String keys, values read by {@code values}.
   */
  public static <V> TestOutputTopic<String, V> output(
      TopologyTestDriver driver, String topic, Deserializer<V> values) {
    return driver.createOutputTopic(topic, new StringDeserializer(), values);
  }

  public static String utf8(ByteBuffer buffer) {
    return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
