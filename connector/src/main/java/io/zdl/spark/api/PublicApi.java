package io.zdl.spark.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class users call or name: the audit, reading a table's positions, the log store, the option names
 * and the coded errors. Such a class keeps its public members from release to release. Any other public class
 * is internal: public only because another zdl package uses it, and free to change in any release. The
 * published Javadoc holds the marked classes only (the javadoc plugin's sourceFileIncludes in the parent pom);
 * PublicApiTest keeps that list, these marks and project-docs/architecture.md equal. The mark marks itself.
 */
@Documented
@PublicApi
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PublicApi {}
