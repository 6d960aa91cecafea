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
 * burnrate_sli_error_ratio and burnrate_sli_burn_rate{service,window}. Refreshed on each scrape from the stores.
 * Cardinality is bounded: at most {@code metrics.sli.max.services} services (by name) times the standard windows.
 */
public final class SliGauges {
    private static final Logger log = LoggerFactory.getLogger(SliGauges.class);

    private final Supplier<List<Views.ServiceSummary>> source;
    private final int maxServices;
    private final MultiGauge requests;
    private final MultiGauge errors;
    private final MultiGauge ratio;
    private final MultiGauge burn;
    private boolean warnedTruncated;

    public SliGauges(MeterRegistry registry, Supplier<List<Views.ServiceSummary>> source, int maxServices) {
        this.source = source;
        this.maxServices = maxServices;
        requests = MultiGauge.builder("burnrate.sli.requests").description("requests in the window").register(registry);
        errors = MultiGauge.builder("burnrate.sli.errors").description("errors in the window (the primary SLO's definition)").register(registry);
        ratio = MultiGauge.builder("burnrate.sli.error.ratio").description("errors / requests in the window").register(registry);
        burn = MultiGauge.builder("burnrate.sli.burn.rate").description("error ratio / error budget of the primary SLO").register(registry);
    }

    public void refresh() {
        List<Views.ServiceSummary> services;
        try {
            services = new ArrayList<>(source.get());
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
        for (Views.ServiceSummary s : services) {
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
    }
}
