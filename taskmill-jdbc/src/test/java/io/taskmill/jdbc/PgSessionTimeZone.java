package io.taskmill.jdbc;

import java.util.TimeZone;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class with the JVM's default time zone, and so every PostgreSQL session it opens, in
 * {@link PgStores#SESSION_TIME_ZONE}. pgjdbc always sends {@code TimeZone=<JVM default>} in the
 * startup packet, and the server applies that after the URL's {@code options=-c TimeZone=…}, so the
 * JVM default is the only way a plain JDBC URL gets a non-UTC session. Restored after the class;
 * test classes in this module run one at a time.
 */
public final class PgSessionTimeZone implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(PgSessionTimeZone.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NS).put("previous", TimeZone.getDefault());
    TimeZone.setDefault(TimeZone.getTimeZone(PgStores.SESSION_TIME_ZONE));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TimeZone.setDefault(context.getStore(NS).get("previous", TimeZone.class));
  }
}
