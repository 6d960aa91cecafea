package dev.burnrate.embedded;

/** Placeholder so the module compiles; replaced by the real in-process KRaft broker. */
final class EmbeddedKafkaBroker {
}
