package io.taskmill.handler;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registered handlers: the allow-list of job types this engine runs. */
public interface HandlerRegistry {
  /** Every handler, sorted by type. */
  List<HandlerInfo> list();

  /** Handlers grouped by namespace (the type without its last word), namespaces sorted. */
  Map<String, List<HandlerInfo>> byNamespace();

  /** The handler for a type, if registered. */
  Optional<HandlerInfo> find(String type);
}
