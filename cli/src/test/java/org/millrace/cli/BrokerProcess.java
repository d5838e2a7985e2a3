package org.millrace.cli;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.millrace.runtime.kafka.EmbeddedKafkaBroker;

/**
 * A single-node Kafka broker as a process of its own, for tests that kill and restart it: {@code
 * BrokerProcess DATA_DIR PORT}. It prints {@value #READY} and its bootstrap servers once it serves
 * clients, and runs until the process ends (SIGTERM closes the broker; SIGKILL does not).
 */
public final class BrokerProcess {

  static final String READY = "BROKER READY";

  private BrokerProcess() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(Path.of(args[0]), Integer.parseInt(args[1]));
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
    System.out.println(READY + " " + broker.bootstrapServers());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
