package io.zdl.test.kafka;

import io.zdl.test.process.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS key material made at test time with the JDK's {@code keytool}: a broker key pair for 127.0.0.1, a client key
 * pair, truststores that trust each of them, and a stranger's truststore that trusts neither. Self-signed, valid
 * for two days, PKCS12.
 */
public final class TestKeyStores {
  /** One password for every store here; made up per run, never a real secret. */
  public static final String PASSWORD = "store-pw-5c03e1";

  private final Path dir;

  private TestKeyStores(Path dir) {
    this.dir = dir;
  }

  /** Generates everything under {@code dir}. */
  public static TestKeyStores generate(Path dir) {
    TestKeyStores s = new TestKeyStores(dir.toAbsolutePath());
    try {
      Files.createDirectories(s.dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    s.keyPair("broker", "CN=127.0.0.1", "SAN=ip:127.0.0.1");
    s.keyPair("client", "CN=zdl-test-client", null);
    s.keyPair("stranger", "CN=stranger", "SAN=ip:127.0.0.1");
    s.trust("broker", "client-truststore");
    s.trust("client", "broker-truststore");
    s.trust("stranger", "stranger-truststore");
    return s;
  }

  public Path brokerKeyStore() {
    return dir.resolve("broker.p12");
  }

  /** Trusts the client's certificate: the broker's truststore for mutual TLS. */
  public Path brokerTrustStore() {
    return dir.resolve("broker-truststore.p12");
  }

  public Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  /** Trusts the broker's certificate. */
  public Path clientTrustStore() {
    return dir.resolve("client-truststore.p12");
  }

  /** Trusts only a certificate nobody uses: the broker's certificate is untrusted with it. */
  public Path strangerTrustStore() {
    return dir.resolve("stranger-truststore.p12");
  }

  private void keyPair(String alias, String dname, String ext) {
    List<String> cmd = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", alias, "-keyalg", "RSA",
        "-keysize", "2048", "-dname", dname, "-validity", "2", "-storetype", "PKCS12",
        "-keystore", dir.resolve(alias + ".p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
    if (ext != null) {
      cmd.add("-ext");
      cmd.add(ext);
    }
    run(cmd);
    run(List.of(keytool(), "-exportcert", "-rfc", "-alias", alias, "-keystore", dir.resolve(alias + ".p12").toString(),
        "-storepass", PASSWORD, "-file", dir.resolve(alias + ".crt").toString()));
  }

  private void trust(String alias, String store) {
    run(List.of(keytool(), "-importcert", "-noprompt", "-alias", alias, "-file", dir.resolve(alias + ".crt").toString(),
        "-storetype", "PKCS12", "-keystore", dir.resolve(store + ".p12").toString(), "-storepass", PASSWORD));
  }

  private void run(List<String> cmd) {
    Path log = dir.resolve("keytool.log");
    int exit = ChildJvm.awaitExit(ChildJvm.start(cmd, dir, log), Duration.ofSeconds(60));
    if (exit != 0) {
      throw new IllegalStateException("keytool exited with " + exit + ":\n" + ChildJvm.tail(log, 4000));
    }
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }
}
