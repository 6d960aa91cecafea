package dev.burnrate.faults;

import java.util.List;

/** Min, median and max of a series of measurements, with every value when there are few. */
record Stats(long min, long median, long max, List<Long> all) {
    static Stats of(List<Long> values) {
        List<Long> s = values.stream().sorted().toList();
        return s.isEmpty() ? new Stats(-1, -1, -1, s) : new Stats(s.get(0), s.get(s.size() / 2), s.get(s.size() - 1), values);
    }

    @Override
    public String toString() {
        return "min " + min + ", median " + median + ", max " + max + (all.size() <= 20 ? " " + all : " (" + all.size() + " values)");
    }
}
