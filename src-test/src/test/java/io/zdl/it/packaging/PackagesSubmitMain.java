package io.zdl.it.packaging;

import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The application {@link SparkSubmitPackagesIT} hands to Spark's own {@code SparkSubmit}, packed alone in an
 * application jar: zdl-kafka and zdl-delta come only from {@code --packages}, the Delta session settings only
 * from {@code --conf}, as a user's job gets them. Streams the topic into the table with
 * {@code Trigger.AvailableNow()}.
 *
 * <p>Arguments: bootstrap servers, topic, table path, checkpoint path.
 */
public final class PackagesSubmitMain {
  private PackagesSubmitMain() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().appName("zdl-packages-submit").getOrCreate();
    StreamingQuery query = spark.readStream().format("zdl-kafka")
        .option("kafka.bootstrap.servers", args[0]).option("subscribe", args[1])
        .option("startingOffsets", "earliest").option("includeHeaders", "true")
        .load()
        .writeStream().format("zdl-delta")
        .option("checkpointLocation", args[3])
        .trigger(Trigger.AvailableNow())
        .start(args[2]);
    if (!query.awaitTermination(TimeUnit.MINUTES.toMillis(4))) {
      query.stop();
      throw new IllegalStateException("the AvailableNow query did not finish within 4 minutes");
    }
    spark.stop();
  }
}
