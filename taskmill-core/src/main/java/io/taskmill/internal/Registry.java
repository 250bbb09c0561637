package io.taskmill.internal;

import io.taskmill.handler.HandlerInfo;
import io.taskmill.handler.HandlerRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The immutable handler registry built at start; lookups by type are allocation-free. */
public final class Registry implements HandlerRegistry {
  private final Map<String, HandlerDef> byType;

  public Registry(List<HandlerDef> defs) {
    var map = new TreeMap<String, HandlerDef>();
    for (HandlerDef d : defs) {
      map.put(d.type(), d);
    }
    this.byType = Collections.unmodifiableMap(map);
  }

  /** The definition for {@code type}, or null. */
  public HandlerDef def(String type) {
    return byType.get(type);
  }

  /** Every registered type. */
  public Set<String> types() {
    return byType.keySet();
  }

  @Override
  public List<HandlerInfo> list() {
    return byType.values().stream().map(HandlerDef::info).toList();
  }

  @Override
  public Map<String, List<HandlerInfo>> byNamespace() {
    var out = new TreeMap<String, List<HandlerInfo>>();
    for (HandlerDef d : byType.values()) {
      out.computeIfAbsent(d.info().namespace(), k -> new ArrayList<>()).add(d.info());
    }
    var frozen = new LinkedHashMap<String, List<HandlerInfo>>();
    out.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
    return Collections.unmodifiableMap(frozen);
  }

  @Override
  public Optional<HandlerInfo> find(String type) {
    return Optional.ofNullable(byType.get(type)).map(HandlerDef::info);
  }
}
