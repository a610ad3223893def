package io.zdl.it.support;

/** Everything logged at INFO and above while it runs (the console keeps showing WARN and above only). */
public final class LogCapture {
  private final java.io.StringWriter text = new java.io.StringWriter();
  private final org.apache.logging.log4j.core.LoggerContext context =
      (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false);
  private org.apache.logging.log4j.core.appender.WriterAppender appender;
  private org.apache.logging.log4j.Level oldLevel;

  public static LogCapture start() {
    LogCapture c = new LogCapture();
    var root = c.context.getConfiguration().getRootLogger();
    c.appender = org.apache.logging.log4j.core.appender.WriterAppender.createAppender(
        org.apache.logging.log4j.core.layout.PatternLayout.newBuilder().withPattern("%c %m%n%ex").build(), null,
        c.text, "secrets-capture", false, true);
    c.appender.start();
    c.oldLevel = root.getLevel();
    for (var ref : new java.util.ArrayList<>(root.getAppenders().values())) {
      root.removeAppender(ref.getName());
      root.addAppender(ref, org.apache.logging.log4j.Level.WARN, null);
    }
    root.addAppender(c.appender, org.apache.logging.log4j.Level.INFO, null);
    root.setLevel(org.apache.logging.log4j.Level.INFO);
    c.context.updateLoggers();
    return c;
  }

  public void stop() {
    var root = context.getConfiguration().getRootLogger();
    root.removeAppender(appender.getName());
    root.setLevel(oldLevel);
    context.updateLoggers();
    appender.stop();
  }

  public String text() {
    return text.toString();
  }
}
