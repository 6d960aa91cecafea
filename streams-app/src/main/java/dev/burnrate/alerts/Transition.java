package dev.burnrate.alerts;

/** What an evaluation step emits to the alerts topic: nothing, a firing record or a resolved record. */
public enum Transition {
    NONE, FIRING, RESOLVED
}
