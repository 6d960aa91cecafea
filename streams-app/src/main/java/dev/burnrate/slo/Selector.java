package dev.burnrate.slo;

import java.util.List;

/**
 * Which traffic an SLO covers: service globs and route globs; an empty list means "all". A request is covered when
 * its service matches any service glob AND its route matches any route glob.
 */
public record Selector(List<Glob> services, List<Glob> routes) {
    public static final Selector ALL = new Selector(List.of(), List.of());

    public Selector {
        services = List.copyOf(services);
        routes = List.copyOf(routes);
    }

    public static Selector of(List<String> serviceGlobs, List<String> routeGlobs) {
        return new Selector(serviceGlobs.stream().map(Glob::new).toList(), routeGlobs.stream().map(Glob::new).toList());
    }

    public boolean matches(String service, String route) {
        return anyMatch(services, service) && anyMatch(routes, route);
    }

    private static boolean anyMatch(List<Glob> globs, String value) {
        if (globs.isEmpty()) return true;
        for (Glob g : globs) if (g.matches(value)) return true;
        return false;
    }
}
