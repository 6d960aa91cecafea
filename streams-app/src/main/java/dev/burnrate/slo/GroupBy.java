package dev.burnrate.slo;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What one alert (and one set of windows) is computed for. */
public enum GroupBy {
    /** One group per service. */
    SERVICE("service"),
    /** One group per (service, route). */
    SERVICE_ROUTE("service+route");

    private final String configName;

    GroupBy(String configName) {
        this.configName = configName;
    }

    /** The spelling used in the config file: {@code service} or {@code service+route}. */
    public String configName() {
        return configName;
    }

    public static GroupBy parse(String s) {
        for (GroupBy g : values()) if (g.configName.equals(s == null ? null : s.strip().toLowerCase())) return g;
        throw new IllegalArgumentException("unknown groupBy '" + s + "'; expected one of: "
                + Arrays.stream(values()).map(GroupBy::configName).collect(Collectors.joining(", ")));
    }
}
