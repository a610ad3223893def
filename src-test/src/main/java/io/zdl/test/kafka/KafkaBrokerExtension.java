package io.zdl.test.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.zdl.test.spark.SparkTestSession;

/**
 * Gives a test class a {@link KafkaBroker}. Use as a static field:
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();}
 * <ul>
 * <li>{@link #shared()}: one broker per test JVM (a broker start costs seconds), closed when the JVM's tests end;
 * tests must use their own topic names.</li>
 * <li>{@link #dedicated()}: a broker for this class alone, for tests that kill or restart it.</li>
 * </ul>
 */
public final class KafkaBrokerExtension implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
  private static final String SHARED_KEY = "shared-broker";

  private final boolean shared;
  private final boolean kafka4;
  private volatile KafkaBroker broker;

  private KafkaBrokerExtension(boolean shared, boolean kafka4) {
    this.shared = shared;
    this.kafka4 = kafka4;
  }

  public static KafkaBrokerExtension shared() {
    return new KafkaBrokerExtension(true, false);
  }

  /** One Kafka 4.x broker per test JVM (beside the shared 3.3.2 one), for the source's core cases on both lines. */
  public static KafkaBrokerExtension sharedKafka4() {
    return new KafkaBrokerExtension(true, true);
  }

  public static KafkaBrokerExtension dedicated() {
    return new KafkaBrokerExtension(false, false);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    ExtensionContext.Store store;
    Object key;
    String prefix;
    if (shared) {
      // the root store is closed when the whole test plan of this JVM has run
      store = context.getRoot().getStore(NS);
      key = kafka4 ? SHARED_KEY + "-kafka4" : SHARED_KEY;
      prefix = kafka4 ? "kafka4-shared-" : "kafka-shared-";
    } else {
      // keyed by this instance: @Nested classes find their enclosing class's broker instead of starting one
      store = context.getStore(NS);
      key = this;
      prefix = "kafka-" + context.getRequiredTestClass().getSimpleName() + "-";
    }
    broker = store.getOrComputeIfAbsent(key,
        k -> new Resource(kafka4 ? KafkaBroker.startKafka4(newDir(prefix)) : KafkaBroker.start(newDir(prefix))),
        Resource.class).broker;
  }

  public KafkaBroker broker() {
    KafkaBroker b = broker;
    if (b == null) {
      throw new IllegalStateException("no broker yet: register the extension on a static field "
          + "with @RegisterExtension, and use it from tests or @BeforeAll/@BeforeEach");
    }
    return b;
  }

  private static Path newDir(String prefix) {
    try {
      return Files.createDirectories(SparkTestSession.workDir().resolve(prefix + UUID.randomUUID()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets JUnit close the broker with the store it lives in. */
  private static final class Resource implements ExtensionContext.Store.CloseableResource {
    final KafkaBroker broker;

    Resource(KafkaBroker broker) {
      this.broker = broker;
    }

    @Override
    public void close() {
      broker.close();
    }
  }
}
