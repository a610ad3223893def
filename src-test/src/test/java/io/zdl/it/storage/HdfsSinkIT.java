package io.zdl.it.storage;

import io.zdl.test.hdfs.MiniHdfsExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The zdl-delta sink with table and checkpoint on a real HDFS (MiniDFSCluster in this JVM). */
class HdfsSinkIT extends StorageSinkContract {
  @RegisterExtension
  static final MiniHdfsExtension HDFS = MiniHdfsExtension.shared();

  @Override
  protected String storeRoot() {
    return HDFS.hdfs().uri() + "/zdl-it/" + getClass().getSimpleName();
  }

  @Override
  protected void interruptStore() {
    HDFS.hdfs().stopDataNode();
  }

  @Override
  protected void restoreStore() {
    HDFS.hdfs().restartDataNode();
  }
}
