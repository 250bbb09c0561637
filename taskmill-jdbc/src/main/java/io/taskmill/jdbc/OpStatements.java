package io.taskmill.jdbc;

import io.taskmill.access.ApiKey;
import io.taskmill.job.Job;
import io.taskmill.job.JobEvent;
import io.taskmill.job.JobId;
import io.taskmill.job.JobLogLine;
import io.taskmill.node.Node;
import io.taskmill.schedule.Schedule;
import io.taskmill.schedule.ScheduleRun;
import io.taskmill.spi.Change;
import io.taskmill.spi.Insert;
import io.taskmill.spi.Ops;
import io.taskmill.spi.Query;
import io.taskmill.spi.ScheduleDue;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Runs the records of {@link Ops} generically: each as the statement its dialect's SQL files name
 * like its type ({@code ScheduleGet} runs {@code scheduleGet}), its components bound to the
 * statement's {@code :parameters} by name, its rows mapped to the query's row type. Everything is
 * resolved when the store opens, so a record without its statement, or a statement parameter no
 * component supplies, fails there with the names, not on first use.
 */
final class OpStatements {
  /** Binds one component (or a record's flattened components) of an operation. */
  @FunctionalInterface
  private interface Binder {
    void bind(Object op, Params params) throws Throwable;
  }

  /** One operation type, resolved: its statement, how to bind it, and how to map its rows. */
  private record Bound(NamedSql sql, List<Binder> binders, NamedSql.RowMapper<?> rows) {
    Params params(Object op) {
      var params = Params.of();
      try {
        for (Binder binder : binders) {
          binder.bind(op, params);
        }
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("cannot read the components of " + op, e);
      }
      return params;
    }
  }

  /** Row types with a mapper of their own: the domain records whose columns need decoding. */
  private static final Map<Class<?>, NamedSql.RowMapper<?>> MAPPERS =
      Map.of(
          Job.class, JobRows::job,
          JobEvent.class, JobRows::event,
          JobLogLine.class, JobRows::logLine,
          Schedule.class, JdbcSchedules::schedule,
          ScheduleDue.class, JdbcSchedules::due,
          ScheduleRun.class, JdbcSchedules::run,
          Node.class, JdbcCluster::node,
          ApiKey.class, JdbcApiKeys::apiKey);

  /** Parameter names {@link JdbcSchedules#definition} supplies for a {@link Schedule}. */
  private static final Set<String> SCHEDULE_PARAMS = JdbcSchedules.DEFINITION_PARAMS;

  private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

  private final Map<Class<?>, Bound> bound;
  private final Dialect dialect;

  /** Resolves every operation of {@link Ops} against the statements of {@code files}. */
  OpStatements(Dialect dialect, List<SqlFile> files) {
    this.dialect = dialect;
    var statements = new HashMap<String, NamedSql>();
    for (SqlFile file : files) {
      for (String name : file.names()) {
        if (statements.put(name, file.get(name)) != null) {
          throw new IllegalStateException("statement '" + name + "' is named in two SQL files");
        }
      }
    }
    var byType = new HashMap<Class<?>, Bound>();
    for (Class<?> type : Ops.class.getDeclaredClasses()) {
      if (type.isRecord()) {
        byType.put(type, resolve(type, statements));
      }
    }
    this.bound = Map.copyOf(byType);
  }

  /** Runs a read; rows that map to null (an aggregate over no rows) are no rows. */
  @SuppressWarnings("unchecked")
  <R> List<R> query(Connection c, Query<R> op) throws SQLException {
    Bound b = bound(op);
    List<R> rows = (List<R>) b.sql().query(c, b.params(op), b.rows());
    return rows.contains(null) ? rows.stream().filter(r -> r != null).toList() : rows;
  }

  /**
   * Runs a write; returns its row count. An {@link Insert} whose key is taken inserts nothing: on
   * H2 the unique violation fails only its statement, and the transaction goes on (PostgreSQL's
   * statements say {@code ON CONFLICT DO NOTHING} instead).
   */
  int change(Connection c, Change op) throws SQLException {
    Bound b = bound(op);
    try {
      return b.sql().update(c, b.params(op));
    } catch (SQLException e) {
      if (op instanceof Insert && dialect == Dialect.H2 && dialect.isUniqueViolation(e)) {
        return 0;
      }
      throw e;
    }
  }

  /** Runs writes of one type in one JDBC batch; returns each one's row count. */
  int[] changeEach(Connection c, List<? extends Change> ops) throws SQLException {
    if (ops.getFirst() instanceof Insert) {
      // A taken key fails an H2 batch as a whole, so inserts-unless-taken go one by one.
      throw new IllegalArgumentException(
          ops.getFirst().getClass().getSimpleName()
              + " is an Insert: run each with change, not in a batch");
    }
    Bound b = bound(ops.getFirst());
    var rows = new ArrayList<Params>(ops.size());
    for (Change op : ops) {
      if (op.getClass() != ops.getFirst().getClass()) {
        throw new IllegalArgumentException(
            "changeEach runs writes of one type in one batch, not "
                + ops.getFirst().getClass().getSimpleName()
                + " with "
                + op.getClass().getSimpleName());
      }
      rows.add(b.params(op));
    }
    return b.sql().batch(c, rows);
  }

  private Bound bound(Object op) {
    if (op == null) {
      throw new NullPointerException("operation");
    }
    Bound b = bound.get(op.getClass());
    if (b == null) {
      throw new IllegalArgumentException(
          op.getClass().getName() + " is not an operation of " + Ops.class.getName());
    }
    return b;
  }

  private static Bound resolve(Class<?> type, Map<String, NamedSql> statements) {
    String name =
        Character.toLowerCase(type.getSimpleName().charAt(0)) + type.getSimpleName().substring(1);
    NamedSql sql = statements.get(name);
    if (sql == null) {
      throw new IllegalStateException(
          "operation "
              + type.getSimpleName()
              + " has no statement '"
              + name
              + "' in the SQL files");
    }
    var binders = new ArrayList<Binder>();
    var names = new LinkedHashSet<String>();
    addBinders(type, op -> op, binders, names, type);
    for (String param : sql.params()) {
      if (!names.contains(param)) {
        throw new IllegalStateException(
            "statement '"
                + name
                + "' uses :"
                + param
                + ", which no component of "
                + type.getSimpleName()
                + " supplies (it has "
                + names
                + ")");
      }
    }
    NamedSql.RowMapper<?> rows = null;
    if (Query.class.isAssignableFrom(type)) {
      rows = mapper(rowType(type), type);
    } else if (!Change.class.isAssignableFrom(type)) {
      throw new IllegalStateException(type.getSimpleName() + " is neither a Query nor a Change");
    }
    return new Bound(sql, List.copyOf(binders), rows);
  }

  /** A getter from the operation to one nested value. */
  @FunctionalInterface
  private interface Path {
    Object get(Object op) throws Throwable;
  }

  private static void addBinders(
      Class<?> record, Path path, List<Binder> binders, Set<String> names, Class<?> op) {
    for (RecordComponent component : record.getRecordComponents()) {
      MethodHandle accessor;
      try {
        accessor = LOOKUP.unreflect(component.getAccessor());
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + record.getName() + " components", e);
      }
      Path get =
          o -> {
            Object parent = path.get(o);
            return parent == null ? null : accessor.invoke(parent);
          };
      Class<?> raw = component.getType();
      String name = component.getName();
      if (raw == Schedule.class) {
        for (String param : SCHEDULE_PARAMS) {
          claim(names, param, op);
        }
        binders.add((o, p) -> JdbcSchedules.definition((Schedule) get.get(o), p));
      } else if (raw.isRecord() && raw != JobId.class) {
        addBinders(raw, get, binders, names, op);
      } else if (Collection.class.isAssignableFrom(raw)) {
        claim(names, name, op);
        Class<?> element = elementType(component.getGenericType(), op);
        binders.add((o, p) -> p.set(name, array((Collection<?>) get.get(o), element)));
      } else if (raw == Duration.class) {
        claim(names, name, op);
        binders.add(
            (o, p) -> {
              Duration d = (Duration) get.get(o);
              p.set(name, d == null ? null : d.toMillis());
            });
      } else {
        claim(names, name, op);
        binders.add((o, p) -> p.set(name, get.get(o)));
      }
    }
  }

  private static void claim(Set<String> names, String name, Class<?> op) {
    if (!names.add(name)) {
      throw new IllegalStateException(
          op.getSimpleName() + " supplies :" + name + " twice (from nested records)");
    }
  }

  private static Class<?> elementType(Type type, Class<?> op) {
    if (type instanceof ParameterizedType p
        && p.getActualTypeArguments()[0] instanceof Class<?> c) {
      return c;
    }
    throw new IllegalStateException(op.getSimpleName() + " has a collection of an unknown type");
  }

  private static Object array(Collection<?> values, Class<?> element) {
    if (values == null) {
      return null;
    }
    if (element == JobId.class) {
      return values.stream().map(id -> ((JobId) id).value()).toArray(UUID[]::new);
    }
    if (element == String.class) {
      return values.toArray(String[]::new);
    }
    if (element == Long.class) {
      return values.toArray(Long[]::new);
    }
    if (element == Integer.class) {
      return values.toArray(Integer[]::new);
    }
    throw new IllegalStateException("cannot bind a collection of " + element.getSimpleName());
  }

  private static Class<?> rowType(Class<?> op) {
    for (Type t : op.getGenericInterfaces()) {
      if (t instanceof ParameterizedType p
          && p.getRawType() == Query.class
          && p.getActualTypeArguments()[0] instanceof Class<?> row) {
        return row;
      }
    }
    throw new IllegalStateException(op.getSimpleName() + " must implement Query<a class>");
  }

  private static NamedSql.RowMapper<?> mapper(Class<?> row, Class<?> op) {
    NamedSql.RowMapper<?> own = MAPPERS.get(row);
    if (own != null) {
      return own;
    }
    if (row == String.class) {
      return rs -> rs.getString(1);
    }
    if (row == Long.class) {
      return rs -> {
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      };
    }
    if (row == Instant.class) {
      return rs -> JobRows.instant(rs, 1);
    }
    if (row == JobId.class) {
      return rs -> {
        UUID id = rs.getObject(1, UUID.class);
        return id == null ? null : new JobId(id);
      };
    }
    if (row.isRecord()) {
      return recordMapper(row, op);
    }
    throw new IllegalStateException(
        op.getSimpleName() + "'s rows are " + row.getSimpleName() + ", which has no mapper");
  }

  /** Column reader for one record component. */
  @FunctionalInterface
  private interface Column {
    Object read(ResultSet rs) throws SQLException;
  }

  /** Maps each component from the column of its name in snake case. */
  private static NamedSql.RowMapper<?> recordMapper(Class<?> row, Class<?> op) {
    RecordComponent[] components = row.getRecordComponents();
    var columns = new Column[components.length];
    var types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      columns[i] = column(snake(components[i].getName()), types[i], op);
    }
    MethodHandle constructor;
    try {
      constructor = LOOKUP.unreflectConstructor(row.getDeclaredConstructor(types));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + row.getName(), e);
    }
    return rs -> {
      var values = new Object[columns.length];
      for (int i = 0; i < columns.length; i++) {
        values[i] = columns[i].read(rs);
      }
      try {
        return constructor.invokeWithArguments(values);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException("cannot construct " + row.getName(), e);
      }
    };
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Column column(String name, Class<?> type, Class<?> op) {
    if (type == String.class) {
      return rs -> rs.getString(name);
    }
    if (type == int.class) {
      return rs -> rs.getInt(name);
    }
    if (type == long.class) {
      return rs -> rs.getLong(name);
    }
    if (type == boolean.class) {
      return rs -> rs.getBoolean(name);
    }
    if (type == Instant.class) {
      return rs -> JobRows.instant(rs, name);
    }
    if (type == JobId.class) {
      return rs -> {
        UUID id = rs.getObject(name, UUID.class);
        return id == null ? null : new JobId(id);
      };
    }
    if (type.isEnum()) {
      return rs -> {
        String value = rs.getString(name);
        return value == null ? null : Enum.valueOf((Class<Enum>) type, value);
      };
    }
    throw new IllegalStateException(
        op.getSimpleName() + ": cannot map column " + name + " to " + type.getSimpleName());
  }

  private static String snake(String camel) {
    var out = new StringBuilder(camel.length() + 4);
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        out.append('_').append(Character.toLowerCase(ch));
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
