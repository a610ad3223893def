package io.zdl.logstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class S3LocationTest {

  @Test
  void bucketKeyAndSiblings() {
    S3Location l = S3Location.of(new Path("s3a://bkt/tables/t 1/_delta_log/00000000000000000007.json"));
    assertEquals("bkt", l.bucket());
    assertEquals("tables/t 1/_delta_log/00000000000000000007.json", l.key(), "decoded, no leading slash");
    assertEquals("tables/t 1/_delta_log", l.parentKey());
    assertEquals("tables/t 1/_delta_log/.probe", l.sibling(".probe").key());
    assertEquals("k", S3Location.of(new Path("s3://b/k")).key());
  }

  @Test
  void otherSchemesAreRefusedWithTheSettingToFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> S3Location.of(new Path("hdfs://nn/t/_delta_log/0.json")));
    assertTrue(e.getMessage().contains("spark.delta.logStore.s3a.impl"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> S3Location.of(new Path("s3a://b/")));
  }

  @Test
  void commitBytesAreOneActionPerLineEachEndedByANewline() {
    assertArrayEquals("{\"a\":1}\n{\"b\":\"é\"}\n".getBytes(StandardCharsets.UTF_8),
        S3ConditionalPutLogStore.encode(Arrays.asList("{\"a\":1}", "{\"b\":\"é\"}").iterator()));
    assertEquals(0, S3ConditionalPutLogStore.encode(Collections.<String>emptyIterator()).length);
  }
}
