package org.millrace.runtime.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How an {@link EmbeddedKafkaBroker} is secured as a production cluster is: its one client listener
 * speaks SASL_SSL with SCRAM-SHA-512 logins, the KRaft controller's listener SASL_SSL with PLAIN
 * (Kafka does not support SCRAM there: the controller must authenticate before it has read the
 * credentials from its log), and Kafka's {@code StandardAuthorizer} refuses whatever no ACL allows.
 *
 * <p>The SCRAM credentials of every user are written into the metadata log when the storage is
 * formatted, as {@code kafka-storage.sh format --add-scram} does, so that the broker can log in to
 * itself before anyone could create them with the admin API.
 *
 * @param keyStore a PKCS12 key store with the broker's private key and certificate (whose subject
 *     alternative names must include IP 127.0.0.1: clients verify the host name)
 * @param trustStore a PKCS12 trust store with the certificate authority that signed it
 * @param storePassword the password of both stores and of the key
 * @param broker the broker's own user, a super user
 * @param superUsers users allowed everything besides the broker (an administrator)
 * @param passwords every user's password by name, the broker's and the super users' included
 */
public record SaslSslSecurity(
    Path keyStore,
    Path trustStore,
    String storePassword,
    String broker,
    Set<String> superUsers,
    Map<String, String> passwords) {

  /** The SASL mechanism of the client listener. */
  public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";

  public SaslSslSecurity {
    superUsers = Set.copyOf(superUsers);
    passwords = Map.copyOf(passwords);
    Set<String> withoutPassword = new TreeSet<>(superUsers);
    withoutPassword.add(broker);
    withoutPassword.removeAll(passwords.keySet());
    if (!withoutPassword.isEmpty()) {
      throw new IllegalArgumentException("users without a password: " + withoutPassword);
    }
  }

  /**
   * The client properties with which {@code user} connects: SASL_SSL, SCRAM-SHA-512, the trust
   * store. Millrace takes them with the {@code kafka.} prefix.
   */
  public Map<String, String> clientProperties(String user) {
    String password = passwords.get(user);
    if (password == null) {
      throw new IllegalArgumentException("no such user: " + user);
    }
    Map<String, String> properties = new HashMap<>();
    properties.put("security.protocol", "SASL_SSL");
    properties.put("sasl.mechanism", SCRAM_SHA_512);
    properties.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    properties.put("ssl.truststore.type", "PKCS12");
    properties.put("ssl.truststore.location", trustStore.toString());
    properties.put("ssl.truststore.password", storePassword);
    return properties;
  }

  /** The arguments of {@code kafka-storage.sh format --add-scram}, one per user. */
  List<String> scramArguments() {
    List<String> arguments = new ArrayList<>();
    new TreeSet<>(passwords.keySet())
        .forEach(
            user ->
                arguments.add(
                    SCRAM_SHA_512 + "=[name=" + user + ",password=" + passwords.get(user) + "]"));
    return arguments;
  }

  /**
   * The broker properties of the two listeners, named {@code clientListener} and {@code
   * controllerListener}, and of the authorizer.
   */
  Map<String, String> brokerProperties(String clientListener, String controllerListener) {
    String client = "listener.name." + clientListener.toLowerCase(Locale.ROOT) + ".";
    String controller = "listener.name." + controllerListener.toLowerCase(Locale.ROOT) + ".";
    String password = passwords.get(broker);
    Map<String, String> properties = new HashMap<>();
    properties.put("ssl.keystore.type", "PKCS12");
    properties.put("ssl.keystore.location", keyStore.toString());
    properties.put("ssl.keystore.password", storePassword);
    properties.put("ssl.key.password", storePassword);
    properties.put("ssl.truststore.type", "PKCS12");
    properties.put("ssl.truststore.location", trustStore.toString());
    properties.put("ssl.truststore.password", storePassword);

    properties.put(client + "sasl.enabled.mechanisms", SCRAM_SHA_512);
    properties.put("sasl.mechanism.inter.broker.protocol", SCRAM_SHA_512);
    properties.put(
        client + "scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + broker
            + "\" password=\""
            + password
            + "\";");

    properties.put(controller + "sasl.enabled.mechanisms", "PLAIN");
    properties.put("sasl.mechanism.controller.protocol", "PLAIN");
    properties.put(
        controller + "plain.sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + broker
            + "\" password=\""
            + password
            + "\" user_"
            + broker
            + "=\""
            + password
            + "\";");

    properties.put(
        "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    Set<String> supers = new TreeSet<>(superUsers);
    supers.add(broker);
    properties.put("super.users", String.join(";", supers.stream().map(u -> "User:" + u).toList()));
    properties.put("allow.everyone.if.no.acl.found", "false");
    return properties;
  }
}
