package io.zdl.spark.kafka;

/**
 * Marks the micro-batch stream of {@code format("zdl-kafka")}, so the zdl-delta sink can tell the
 * relations it reads in a query's plan (and their columns) from those of any other source.
 */
public interface ZdlKafkaSourceStream {}
