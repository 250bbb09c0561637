package io.taskmill.engine;

/** Payload records shared by the engine tests. */
final class Payloads {
  private Payloads() {}

  record ResizeImage(String path, int width) {}

  record Step(String name) {}

  record Nothing() {}
}
