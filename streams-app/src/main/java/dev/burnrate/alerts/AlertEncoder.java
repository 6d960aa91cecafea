package dev.burnrate.alerts;

import dev.burnrate.schema.SloAlert;

/** Encodes alert records for the alerts topic: JSON (default) or Avro in the Confluent wire format (alerts.format). */
@FunctionalInterface
public interface AlertEncoder {
    byte[] encode(SloAlert alert);
}
