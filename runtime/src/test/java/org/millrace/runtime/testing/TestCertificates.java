package org.millrace.runtime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and a broker certificate it signed, made for one test with the JDK's own
 * {@code keytool}: a PKCS12 key store with the broker's key and its chain (subject alternative
 * names IP 127.0.0.1 and localhost, so that clients' host-name verification passes), and a PKCS12
 * trust store with the authority alone. Nothing is trusted but this authority.
 *
 * @param keyStore the broker's key store
 * @param trustStore the clients' (and the broker's) trust store
 * @param password the password of both stores and of the keys
 */
public record TestCertificates(Path keyStore, Path trustStore, String password) {

  private static final String VALIDITY_DAYS = "2";

  /** Makes the authority and the broker's certificate in {@code folder}. */
  public static TestCertificates create(Path folder) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    String password = UUID.randomUUID().toString().replace("-", "");
    Path keyStore = folder.resolve("broker.p12");
    Path trustStore = folder.resolve("truststore.p12");
    Path authorityCertificate = folder.resolve("ca.pem");
    String store = keyStore.toString();

    // keytool signs a new key pair only with a key of the same store (-signer): the authority is
    // made there, signs the broker's certificate, and leaves, its certificate in the broker's
    // chain and in the trust store. Five keytool runs, each a JVM start.
    keytool(
        password,
        store,
        "-genkeypair",
        "-alias",
        "ca",
        "-dname",
        "CN=Millrace test CA",
        "-ext",
        "bc:c");
    keytool(
        password,
        store,
        "-genkeypair",
        "-alias",
        "broker",
        "-dname",
        "CN=broker",
        "-signer",
        "ca",
        "-ext",
        "san=ip:127.0.0.1,dns:localhost");
    keytool(
        password,
        store,
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-file",
        authorityCertificate.toString());
    keytool(password, store, "-delete", "-alias", "ca");
    keytool(
        password,
        trustStore.toString(),
        "-importcert",
        "-noprompt",
        "-alias",
        "ca",
        "-file",
        authorityCertificate.toString());
    return new TestCertificates(keyStore, trustStore, password);
  }

  private static void keytool(String password, String store, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.add("-J-XX:TieredStopAtLevel=1"); // a short run: the JIT's first tier is enough
    command.addAll(List.of(arguments));
    if (arguments[0].equals("-genkeypair")) {
      command.addAll(
          List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS));
    }
    command.addAll(
        List.of(
            "-keystore",
            store,
            "-storetype",
            "PKCS12",
            "-storepass",
            password,
            "-keypass",
            password));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", arguments) + ": " + output);
    }
  }
}
