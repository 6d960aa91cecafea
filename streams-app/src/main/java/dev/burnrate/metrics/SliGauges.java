package dev.burnrate.metrics;

import dev.burnrate.query.QueryUnavailableException;
import dev.burnrate.query.Views;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges of the SLIs of the services this instance owns, per window: burnrate_sli_requests, burnrate_sli_errors,
 * burnrate_sli_error_ratio and burnrate_sli_burn_rate{service,window}; per SLO and service the remaining error
 * budget over its period so far, burnrate_slo_error_budget_remaining{slo,service} (1 = untouched, 0 = spent, below 0 =
 * overspent), and the share of it burned so far, burnrate_slo_error_budget_burned{slo,service} (1 - remaining; on a
 * calendar period both start afresh at each period start); and per
 * alert this instance holds, burnrate_alert_state{slo,rule,severity,service,route} (2 firing, 1 pending,
 * 0 resolved; route is empty for a service-wide alert). Refreshed on each scrape from the stores, so recording
 * rules and Grafana can use them like Prometheus' own ALERTS series. Cardinality is bounded: at most
 * {@code metrics.sli.max.services} services (by name) times the standard windows, SLOs and rules.
 */
public final class SliGauges {
    private static final Logger log = LoggerFactory.getLogger(SliGauges.class);

    private final Supplier<List<Views.ServiceSummary>> source;
    private final Supplier<List<Views.AlertView>> alerts;
    private final int maxServices;
    private final MultiGauge requests;
    private final MultiGauge errors;
    private final MultiGauge ratio;
    private final MultiGauge burn;
    private final MultiGauge budget;
    private final MultiGauge burned;
    private final MultiGauge alertState;
    private boolean warnedTruncated;

    public SliGauges(MeterRegistry registry, Supplier<List<Views.ServiceSummary>> source, Supplier<List<Views.AlertView>> alerts, int maxServices) {
        this.source = source;
        this.alerts = alerts;
        this.maxServices = maxServices;
        requests = MultiGauge.builder("burnrate.sli.requests").description("requests in the window").register(registry);
        errors = MultiGauge.builder("burnrate.sli.errors").description("errors in the window (the primary SLO's definition)").register(registry);
        ratio = MultiGauge.builder("burnrate.sli.error.ratio").description("errors / requests in the window").register(registry);
        burn = MultiGauge.builder("burnrate.sli.burn.rate").description("error ratio / error budget of the primary SLO").register(registry);
        budget = MultiGauge.builder("burnrate.slo.error.budget.remaining").description("share of the SLO's error budget left over its period (1 untouched, below 0 overspent)").register(registry);
        burned = MultiGauge.builder("burnrate.slo.error.budget.burned").description("share of the SLO's error budget burned so far in its period (0 untouched, above 1 overspent)").register(registry);
        alertState = MultiGauge.builder("burnrate.alert.state").description("2 firing, 1 pending, 0 resolved (held for alerts.resolved.retention)").register(registry);
    }

    public void refresh() {
        List<Views.ServiceSummary> services;
        List<Views.AlertView> held;
        try {
            services = new ArrayList<>(source.get());
            held = alerts.get();
        } catch (QueryUnavailableException e) {
            return; // keep the last values while rebalancing
        }
        services.sort(Comparator.comparing(Views.ServiceSummary::service));
        if (services.size() > maxServices) {
            if (!warnedTruncated) log.warn("SLI gauges cover the first {} of {} services (metrics.sli.max.services)", maxServices, services.size());
            warnedTruncated = true;
            services = services.subList(0, maxServices);
        }
        List<MultiGauge.Row<?>> req = new ArrayList<>();
        List<MultiGauge.Row<?>> err = new ArrayList<>();
        List<MultiGauge.Row<?>> rat = new ArrayList<>();
        List<MultiGauge.Row<?>> brn = new ArrayList<>();
        List<MultiGauge.Row<?>> bud = new ArrayList<>();
        List<MultiGauge.Row<?>> brd = new ArrayList<>();
        java.util.Set<String> shown = new java.util.HashSet<>();
        for (Views.ServiceSummary s : services) {
            shown.add(s.service());
            for (Views.SloBudget b : s.budgets()) {
                Tags tags = Tags.of("slo", b.slo(), "service", s.service());
                bud.add(MultiGauge.Row.of(tags, b.remainingBudget()));
                brd.add(MultiGauge.Row.of(tags, b.budgetBurned()));
            }
            for (Views.WindowStats w : s.windows()) {
                Tags tags = Tags.of("service", s.service(), "window", w.window());
                req.add(MultiGauge.Row.of(tags, w.requests()));
                err.add(MultiGauge.Row.of(tags, w.errors()));
                rat.add(MultiGauge.Row.of(tags, w.errorRatio()));
                if (w.burnRate() != null) brn.add(MultiGauge.Row.of(tags, w.burnRate()));
            }
        }
        requests.register(req, true);
        errors.register(err, true);
        ratio.register(rat, true);
        burn.register(brn, true);
        budget.register(bud, true);
        burned.register(brd, true);
        List<MultiGauge.Row<?>> st = new ArrayList<>();
        for (Views.AlertView a : held) {
            if (!shown.contains(a.service())) continue;
            int v = switch (a.state()) {
                case "firing" -> 2;
                case "pending" -> 1;
                default -> 0;
            };
            st.add(MultiGauge.Row.of(Tags.of("slo", a.slo(), "rule", a.rule(), "severity", a.severity() == null ? "" : a.severity(),
                    "service", a.service(), "route", a.route() == null ? "" : a.route()), v));
        }
        alertState.register(st, true);
    }
}
