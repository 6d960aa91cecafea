// The on-call page: plain browser JavaScript over the query API (same origin, same bearer token), charts by uPlot.
'use strict';

const RANGES = {'1h': 3600, '6h': 6 * 3600, '1d': 86400, '7d': 7 * 86400, '30d': 30 * 86400};
// burn-rate points: range / step <= 360; error-ratio steps: the finest a bucket tier serves, coarser on refusal
const BURN_STEP = {'1h': '10s', '6h': '1m', '1d': '5m', '7d': '30m', '30d': '2h'};
const RATIO_STEPS = {'1h': ['1m', '5m', '1h'], '6h': ['5m', '1h'], '1d': ['1h'], '7d': ['1h'], '30d': ['1h', '6h']};
const REFRESH_MS = 10000;
const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#ca8a04', '#db2777'];

const params = new URLSearchParams(location.search);
const state = {
  service: params.get('service'),
  at: params.get('at') ? Date.parse(params.get('at')) : null,   // pinned instant (ms), from an alert's generatorURL
  alert: params.get('alert'),
  range: params.get('range') || '1h',
  rule: params.get('rule'),
  window: params.get('window') || '5m',
};
if (!RANGES[state.range]) state.range = '1h';
const charts = {};
let timer = null;

const $ = (sel) => document.querySelector(sel);
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null) continue;
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

// ---- API access (the token comes from localStorage, or from #token=... once) ----
if (location.hash.startsWith('#token=')) {
  localStorage.setItem('burnrate.token', decodeURIComponent(location.hash.slice(7)));
  history.replaceState(null, '', location.pathname + location.search);
}
class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}
async function api(path) {
  const token = localStorage.getItem('burnrate.token');
  const r = await fetch(path, {headers: token ? {'Authorization': 'Bearer ' + token} : {}});
  if (r.status === 401) { showTokenForm(); throw new HttpError(401, 'this instance needs its bearer token'); }
  const body = await r.json().catch(() => ({error: r.statusText}));
  if (!r.ok) throw new HttpError(r.status, body.error || r.statusText);
  return body;
}
function showTokenForm() {
  $('#token-form').hidden = false;
  $('#token-input').focus();
}
$('#token-button').addEventListener('click', showTokenForm);
$('#token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  localStorage.setItem('burnrate.token', $('#token-input').value);
  $('#token-form').hidden = true;
  refresh();
});

// ---- formatting ----
const pct = (r) => r == null ? '–' : (r * 100 >= 10 ? (r * 100).toFixed(1) : (r * 100).toFixed(2)) + '%';
const burn = (b) => b == null ? '–' : (b >= 100 ? b.toFixed(0) : b >= 10 ? b.toFixed(1) : b.toFixed(2)) + '×';
const num = (n) => n == null ? '–' : n.toLocaleString('en-US');
const utc = (iso) => iso ? iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '–';
const short = (iso) => iso ? iso.slice(11, 19) : '–';
function duration(ms) {
  const m = Math.round(ms / 60000);
  return m < 60 ? m + 'm' : m < 1440 ? Math.floor(m / 60) + 'h ' + (m % 60) + 'm' : Math.floor(m / 1440) + 'd ' + Math.floor(m % 1440 / 60) + 'h';
}
function link(query) {
  const p = new URLSearchParams(query);
  return './?' + p.toString();
}
// a burn rate's class against the fast/slow page thresholds (14.4x, 6x) and 1x (the budget lasts exactly the period)
const burnClass = (b) => b == null ? '' : b > 14.4 ? 'hot' : b > 6 ? 'warm' : b > 1 ? 'mild' : 'ok';

// ---- overview ----
async function loadOverview() {
  const [services, alerts] = await Promise.all([api('/api/services'), api('/api/alerts')]);
  renderFiring(alerts.alerts, null);
  const firing = alerts.alerts.filter((a) => a.state === 'firing').length;
  document.title = (firing ? '(' + firing + ' firing) ' : '') + 'burnrate · on-call';
  const firingCount = {};
  for (const a of alerts.alerts) if (a.state === 'firing') firingCount[a.service] = (firingCount[a.service] || 0) + 1;
  const w = (s, name) => s.windows.find((x) => x.window === name) || {};
  const rows = services.services.slice().sort((a, b) =>
    (firingCount[b.service] || 0) - (firingCount[a.service] || 0) || (w(b, '1h').burnRate || 0) - (w(a, '1h').burnRate || 0)
    || a.service.localeCompare(b.service));
  const tbody = $('#services tbody');
  tbody.replaceChildren(...rows.map((s) => {
    const budget = (s.budgets || [])[0];
    const cells = ['5m', '30m', '1h', '6h', '1d', '3d'].map((n) =>
      el('td', {class: 'num ' + burnClass(w(s, n).burnRate)}, burn(w(s, n).burnRate)));
    return el('tr', {'data-service': s.service, class: firingCount[s.service] ? 'firing' : ''},
      el('td', {}, el('a', {href: link({service: s.service})}, s.service),
        firingCount[s.service] ? el('span', {class: 'badge page'}, firingCount[s.service] + ' firing') : null),
      el('td', {}, s.slo || '–'),
      el('td', {}, budget ? budgetBar(budget.remainingBudget) : '–'),
      ...cells,
      el('td', {class: 'num'}, num(w(s, '5m').requests)),
      el('td', {class: 'num'}, pct(w(s, '5m').errorRatio)));
  }));
  if (!rows.length) tbody.append(el('tr', {}, el('td', {colSpan: 11, class: 'muted'}, 'no service has sent a request yet')));
  $('#asof').textContent = rows.length ? 'evaluated up to ' + utc(rows.map((s) => s.asOf).sort()[rows.length - 1]) : '';
}

function budgetBar(remaining) {
  const cls = remaining <= 0 ? 'hot' : remaining < 0.25 ? 'warm' : 'ok';
  const fill = el('span', {class: 'fill ' + cls});
  fill.style.width = Math.max(0, Math.min(1, remaining)) * 100 + '%';
  return el('span', {class: 'budget'}, el('span', {class: 'bar'}, fill), el('span', {class: 'budget-num ' + cls}, pct(remaining)));
}

function renderFiring(alerts, service) {
  const active = alerts.filter((a) => a.state === 'firing' || a.state === 'pending')
    .filter((a) => service == null || a.service === service)
    .sort((a, b) => (a.state === 'firing' ? 0 : 1) - (b.state === 'firing' ? 0 : 1) || (a.severity || '').localeCompare(b.severity || ''));
  const box = service == null ? $('#firing-alerts') : $('#service-alerts');
  box.replaceChildren(...active.map((a) => el('a', {
    class: 'alert ' + a.state + ' ' + (a.severity || ''), 'data-service': a.service, 'data-id': a.id,
    href: link({service: a.service, at: a.firedAt || a.activeSince, alert: a.id})},
  el('span', {class: 'badge ' + (a.severity || '')}, a.severity || 'alert'),
  el('b', {}, a.service + (a.route ? ' ' + a.route : '')),
  el('span', {}, a.slo + ' / ' + a.rule),
  el('span', {class: 'muted'}, a.state + ' since ' + utc(a.firedAt || a.activeSince)
    + (a.clearedAt ? '; condition cleared ' + utc(a.clearedAt) + ', kept firing (keepFiringFor)' : '')))));
  if (service == null && !active.length) box.append(el('div', {class: 'quiet'}, 'Nothing is firing.'));
  if (service == null) $('#alerts-section').classList.toggle('calm', !active.length);
}

// ---- one service ----
function viewEnd(asOfMs) {
  if (state.at == null) return asOfMs;
  return Math.min(asOfMs, state.at + RANGES[state.range] * 1000 / 4);
}

async function loadService() {
  const svc = encodeURIComponent(state.service);
  const detail = await api('/api/services/' + svc + '?routes=20');
  const asOf = Date.parse(detail.asOf);
  const to = viewEnd(asOf) + 1;
  const from = to - RANGES[state.range] * 1000;
  const range = '&from=' + new Date(from).toISOString() + '&to=' + new Date(to).toISOString();
  const [burnSeries, ratio, hist] = await Promise.all([
    api('/api/services/' + svc + '/burnrates?step=' + BURN_STEP[state.range] + range).catch((e) => e),
    ratioSeries(svc, range),
    api('/api/alerts/history?service=' + svc + range).catch((e) => ({episodes: [], error: e.message})),
  ]);
  $('#service-name').textContent = detail.service;
  document.title = detail.service + ' · burnrate';
  $('#asof').textContent = 'evaluated up to ' + utc(detail.asOf);
  const pinned = $('#pinned');
  pinned.hidden = state.at == null;
  if (state.at != null) {
    pinned.replaceChildren('at ' + utc(new Date(state.at).toISOString()) + ' ', el('a', {href: link({service: state.service, range: state.range})}, 'live'));
  }
  renderFiring(detail.alerts, state.service);
  renderSlos(detail.slos);
  const episodes = hist.episodes || [];
  if (burnSeries instanceof Error) chartError('burn-chart', burnSeries.message);
  else renderBurn(burnSeries, episodes, from, to);
  if (ratio instanceof Error) chartError('ratio-chart', ratio.message);
  else renderRatio(ratio, detail.slos[0], episodes, from, to);
  renderBreakdown(detail);
  renderHistory(episodes, hist.error, asOf);
}

async function ratioSeries(svc, range) {
  let last;
  for (const step of RATIO_STEPS[state.range]) {
    try {
      return await api('/api/services/' + svc + '/timeseries?step=' + step + range);
    } catch (e) {
      last = e;
      if (e.status !== 400) break;
    }
  }
  return last;
}

function renderSlos(slos) {
  $('#slo-cards').replaceChildren(...slos.map((s) => el('div', {class: 'card slo'},
    el('div', {class: 'slo-name'}, s.name, el('span', {class: 'muted'}, ' ' + s.objectivePercent + '% '
      + (s.timezone ? 'per calendar ' + s.period + ' (' + s.timezone + ')' : 'over ' + s.period))),
    el('div', {class: 'slo-budget'}, budgetBar(s.remainingBudget),
      el('span', {class: 'muted'}, ' of the error budget left, ' + pct(s.budgetBurned) + ' burned')),
    el('div', {class: 'muted period'}, num(s.periodErrors) + ' errors / ' + num(s.periodRequests) + ' requests since ' + utc(s.periodStart)
      + (s.resetsAt ? '; resets ' + utc(s.resetsAt) : '')),
    el('table', {class: 'rules'}, el('tbody', {}, ...s.rules.map((r) => el('tr', {class: r.conditionTrue ? 'true' : ''},
      el('td', {}, r.route ? r.rule + ' ' + r.route : r.rule), el('td', {}, el('span', {class: 'badge ' + r.severity}, r.severity)),
      ...ruleCells(r))))))));
}

// a rule's windows against its threshold: burn rates; the budget left for a budget rule; requests for a no-traffic rule
function ruleCells(r) {
  if (r.kind === 'budget') {
    const w = r.windows[0];
    return [el('td', {class: 'num ' + (r.conditionTrue ? 'hot' : '')}, w.window + ' ' + pct(1 - w.burnRate) + ' left'),
      el('td', {class: 'muted'}, '< ' + pct(1 - w.threshold))];
  }
  if (r.kind === 'no-traffic') {
    const w = r.windows[0];
    return [el('td', {class: 'num ' + (r.conditionTrue ? 'hot' : '')}, w.window + ' ' + num(w.requests) + ' req'), el('td', {class: 'muted'}, 'none')];
  }
  const guard = r.windows[r.windows.length - 1];
  return [...r.windows.map((w) => el('td', {class: 'num ' + (w.burnRate > w.threshold ? 'hot' : '')}, w.window + ' ' + burn(w.burnRate))),
    el('td', {class: 'muted'}, '> ' + burn(r.windows[0].threshold)
      + (guard.requests < r.minRequests ? ', held: ' + num(guard.requests) + ' of ' + num(r.minRequests) + ' req in ' + guard.window : ''))];
}

function chooseRule(series, episodes) {
  const names = series.rules.map((r) => r.rule);
  if (state.rule && names.includes(state.rule)) return state.rule;
  const highlighted = episodes.find((e) => e.id === state.alert);
  if (highlighted && names.includes(highlighted.rule)) return highlighted.rule;
  const firing = episodes.find((e) => !e.endsAt && names.includes(e.rule));
  if (firing) return firing.rule;
  // the rule whose long window best fits the range
  const secs = (w) => parseInt(w) * {s: 1, m: 60, h: 3600, d: 86400}[w.slice(-1)];
  let best = series.rules[0];
  for (const r of series.rules) if (secs(r.windows[0]) <= RANGES[state.range] && secs(r.windows[0]) > secs(best.windows[0])) best = r;
  return best ? best.rule : null;
}

// the periods the episodes fired, overlapping ones merged (so shading does not darken where alerts overlap)
function firingBands(episodes, from, to, rule) {
  const bands = episodes.filter((e) => rule == null || e.rule === rule).map((e) => ({
    from: Date.parse(e.firedAt || e.startsAt) / 1000,
    to: (e.endsAt ? Date.parse(e.endsAt) : to) / 1000,
    strong: rule != null && e.id === state.alert,
  })).sort((a, b) => a.from - b.from);
  const merged = [];
  for (const b of bands) {
    const last = merged[merged.length - 1];
    if (last && b.from <= last.to && b.strong === last.strong) last.to = Math.max(last.to, b.to);
    else merged.push(b);
  }
  return merged;
}

function shadePlugin(bands) {
  return {hooks: {drawClear: [(u) => {
    const ctx = u.ctx;
    ctx.save();
    for (const b of bands) {
      const x0 = Math.max(u.bbox.left, u.valToPos(b.from, 'x', true));
      const x1 = Math.min(u.bbox.left + u.bbox.width, u.valToPos(b.to, 'x', true));
      if (x1 <= x0) continue;
      ctx.fillStyle = b.strong ? 'rgba(220, 38, 38, 0.22)' : 'rgba(220, 38, 38, 0.12)';
      ctx.fillRect(x0, u.bbox.top, Math.max(2, x1 - x0), u.bbox.height);
    }
    ctx.restore();
  }]}};
}

function baseOpts(title, bands, from, to) {
  const width = Math.max(300, $('#burn-chart').clientWidth || 900);
  return {
    width, height: 260, plugins: [shadePlugin(bands)],
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
    scales: {x: {time: true, range: () => [from / 1000, to / 1000]}},
    axes: [xAxis(to - from)],
    legend: {live: true},
    cursor: {drag: {x: false, y: false}},
  };
}

// UTC, 24-hour; the date too when the range spans days
function xAxis(spanMs) {
  return {values: (u, vals) => vals.map((v) => {
    const iso = new Date(v * 1000).toISOString();
    if (spanMs > 86400000) return iso.slice(5, 10) + ' ' + iso.slice(11, 16);
    return spanMs > 3 * 3600000 ? iso.slice(11, 16) : iso.slice(11, 19).replace(/:00$/, '');
  })};
}

function draw(id, opts, data, count) {
  if (charts[id]) charts[id].destroy();
  const box = document.getElementById(id);
  box.replaceChildren();
  box.setAttribute('data-points', count);
  charts[id] = new uPlot(opts, data, box);
}

function chartError(id, message) {
  if (charts[id]) { charts[id].destroy(); delete charts[id]; }
  const box = document.getElementById(id);
  box.setAttribute('data-points', 0);
  box.replaceChildren(el('div', {class: 'chart-error'}, message));
}

function renderBurn(series, episodes, from, to) {
  const rule = chooseRule(series, episodes);
  $('#rules').replaceChildren(...series.rules.map((r) => el('button', {
    type: 'button', class: r.rule === rule ? 'on' : '', title: r.windows.join(' and ') + ', over ' + burn(r.threshold),
    onclick: () => { state.rule = r.rule; refresh(); }}, r.rule)));
  const r = series.rules.find((x) => x.rule === rule);
  if (!r) { chartError('burn-chart', 'the SLO has no rules'); return; }
  const xs = series.points.map((p) => Date.parse(p.t) / 1000);
  const lines = r.windows.slice().reverse(); // short window first
  const data = [xs, ...lines.map((w) => series.points.map((p) => p.burnRates[w])), xs.map(() => r.threshold)];
  const count = data[1].filter((v) => v != null).length;
  const opts = baseOpts('burn rate', firingBands(episodes, from, to, rule), from, to);
  opts.series = [{}, ...lines.map((w, i) => ({label: w + ' window', stroke: COLORS[i], width: 2, value: (u, v) => burn(v)})),
    {label: 'threshold ' + burn(r.threshold), stroke: '#dc2626', width: 1.5, dash: [6, 4], points: {show: false}, value: (u, v) => burn(v)}];
  const max = Math.max(r.threshold * 1.3, ...data.slice(1, -1).flat().filter((v) => v != null));
  opts.scales.y = {range: () => [0, max]};
  opts.axes = [opts.axes[0], {label: 'burn rate (× budget)', values: (u, vs) => vs.map((v) => v + '×'), size: 60}];
  draw('burn-chart', opts, data, count);
}

function renderRatio(ts, slo, episodes, from, to) {
  const xs = ts.points.map((p) => Date.parse(p.t) / 1000);
  const ratio = ts.points.map((p) => p.requests ? p.errorRatio : null);
  const reqs = ts.points.map((p) => p.requests);
  const budget = slo ? 1 - slo.objectivePercent / 100 : null;
  $('#ratio-note').textContent = 'per ' + ts.step + ' step; errors are ' + ts.errors;
  const opts = baseOpts('error ratio', firingBands(episodes, from, to, null), from, to);
  opts.series = [{},
    {label: 'error ratio', stroke: '#dc2626', width: 2, scale: 'ratio', points: {show: false}, value: (u, v) => pct(v)},
    {label: 'requests', stroke: '#94a3b8', width: 1, scale: 'req', points: {show: false}, value: (u, v) => num(v), paths: uPlot.paths.stepped({align: 1})}];
  const data = [xs, ratio, reqs];
  if (budget != null) {
    opts.series.push({label: 'SLO allows ' + pct(budget), stroke: '#16a34a', width: 1.5, dash: [6, 4], scale: 'ratio', points: {show: false}, value: (u, v) => pct(v)});
    data.push(xs.map(() => budget));
  }
  const max = Math.max(budget ? budget * 2 : 0.01, ...ratio.filter((v) => v != null));
  opts.scales.ratio = {range: () => [0, Math.min(1, max * 1.1)]};
  opts.scales.req = {range: (u, mn, mx) => [0, Math.max(1, mx) * 1.1]};
  opts.axes = [opts.axes[0], {scale: 'ratio', label: 'error ratio', values: (u, vs) => vs.map((v) => pct(v)), size: 60},
    {scale: 'req', side: 1, label: 'requests per step', grid: {show: false}, size: 60}];
  draw('ratio-chart', opts, data, ratio.filter((v) => v != null).length);
}

function renderBreakdown(detail) {
  const names = detail.windows.map((w) => w.window);
  if (!names.includes(state.window)) state.window = names[0];
  $('#windows').replaceChildren(...names.map((n) => el('button', {type: 'button', class: n === state.window ? 'on' : '',
    onclick: () => { state.window = n; refresh(); }}, n)));
  const w = detail.windows.find((x) => x.window === state.window);
  $('#breakdown-asof').textContent = 'the ' + w.window + ' before ' + utc(detail.asOf) + ': ' + num(w.errors) + ' errors / ' + num(w.requests) + ' requests';
  $('#routes tbody').replaceChildren(...w.routes.map((r) => el('tr', {'data-route': r.route, class: r.errors ? 'has-errors' : ''},
    el('td', {class: 'route'}, r.route), el('td', {class: 'num'}, num(r.requests)), el('td', {class: 'num'}, num(r.errors)),
    el('td', {}, ratioBar(r.errorRatio)), el('td', {class: 'num latency'}, percentiles(r.latency)))));
  $('#latency').textContent = w.latency == null ? 'latency percentiles: kept for windows up to 1h'
    : w.latency.timedRequests ? 'latency p50 / p95 / p99: ' + percentiles(w.latency) + ' (' + num(w.latency.timedRequests) + ' requests with a duration since ' + utc(w.latency.from) + ', within 5%)'
      : 'latency: no request with a duration in this window';
  $('#routes-more').textContent = w.routesTotal > w.routes.length ? (w.routesTotal - w.routes.length) + ' more routes without errors' : '';
  const total = w.requests || 1;
  $('#families tbody').replaceChildren(...Object.entries(w.statusFamilies).filter(([, n]) => n > 0).map(([f, n]) =>
    el('tr', {'data-family': f}, el('td', {class: 'fam fam' + f[0]}, f), el('td', {class: 'num'}, num(n)), el('td', {}, ratioBar(n / total, 'share')))));
  const errs = Object.values(w.codes5xx).reduce((a, b) => a + b, 0) || 1;
  const codes = Object.entries(w.codes5xx).sort((a, b) => b[1] - a[1]);
  $('#codes tbody').replaceChildren(...codes.map(([c, n]) => el('tr', {'data-code': c},
    el('td', {class: 'fam fam5'}, c), el('td', {class: 'num'}, num(n)), el('td', {}, ratioBar(n / errs, 'share')))));
  if (!codes.length) $('#codes tbody').append(el('tr', {}, el('td', {class: 'muted'}, 'no 5xx in this window')));
}

function ms(v) {
  return v == null ? '–' : v >= 1000 ? (v / 1000).toPrecision(3) + ' s' : v >= 1 ? v.toPrecision(3) + ' ms' : (v * 1000).toPrecision(3) + ' µs';
}

function percentiles(l) {
  return l == null || l.p50 == null ? '–' : [l.p50, l.p95, l.p99].map(ms).join(' / ');
}

function ratioBar(r, kind) {
  const bar = el('span', {class: 'rbar ' + (kind || '')}, el('span', {class: 'rfill'}));
  bar.firstChild.style.width = Math.min(100, r * 100) + '%';
  return el('span', {class: 'rcell'}, bar, el('span', {class: 'rnum'}, pct(r)));
}

function renderHistory(episodes, error, asOf) {
  const box = $('#history');
  if (error) { box.replaceChildren(el('div', {class: 'chart-error'}, error)); return; }
  if (!episodes.length) { box.replaceChildren(el('div', {class: 'muted'}, 'No alert in this range.')); return; }
  box.replaceChildren(...episodes.map((e) => {
    const ev = e.firing || e.resolved;
    const end = e.endsAt ? Date.parse(e.endsAt) : null;
    const start = Date.parse(e.firedAt || e.startsAt);
    const d = el('details', {class: 'episode' + (e.id === state.alert ? ' highlight' : ''), 'data-id': e.id, open: e.id === state.alert || !e.endsAt},
      el('summary', {},
        el('span', {class: 'badge ' + (e.severity || '')}, e.severity || 'alert'),
        el('b', {}, e.slo + ' / ' + e.rule + (e.route ? ' ' + e.route : '')),
        el('span', {}, utc(e.firedAt || e.startsAt) + ' → ' + (e.endsAt ? short(e.endsAt) : 'firing')),
        el('span', {class: 'muted'}, e.endsAt ? duration(end - start) : 'for ' + duration(asOf - start) + ' so far'),
        el('a', {href: link({service: e.service, at: e.firedAt || e.startsAt, alert: e.id, range: state.range}), class: 'open'}, 'show')),
      ev && ev.description ? el('p', {class: 'desc'}, ev.description) : null,
      el('div', {class: 'evidence'}, evidence('when it fired', e.firing), evidence('when it resolved', e.resolved)));
    return d;
  }));
}

function evidence(title, ev) {
  if (!ev) return null;
  return el('div', {class: 'ev'},
    el('h4', {}, title + ' (' + utc(ev.evaluatedAt) + ')'),
    el('table', {class: 'grid small'}, el('thead', {}, el('tr', {}, el('th', {}, 'window'), el('th', {class: 'num'}, 'requests'),
      el('th', {class: 'num'}, 'errors'), el('th', {class: 'num'}, 'ratio'), el('th', {class: 'num'}, 'burn rate'))),
    el('tbody', {}, ...ev.windows.map((w) => el('tr', {}, el('td', {}, w.window), el('td', {class: 'num'}, num(w.requests)),
      el('td', {class: 'num'}, num(w.errors)), el('td', {class: 'num'}, pct(w.errorRatio)),
      el('td', {class: 'num ' + (w.burnRate > w.threshold ? 'hot' : '')}, burn(w.burnRate) + ' / ' + burn(w.threshold)))))),
    el('div', {class: 'ev-lists'},
      el('div', {}, el('b', {}, 'top failing routes '), ...ev.topRoutes.map((r) => el('span', {class: 'chip', 'data-route': r.route}, r.route + ' ' + num(r.errors) + ' (' + pct(r.errorRatio) + ')'))),
      el('div', {}, el('b', {}, 'status codes '), ...ev.topStatusCodes.map((c) => el('span', {class: 'chip'}, c.code + ' ' + pct(c.share))))));
}

// ---- refresh loop ----
async function refresh() {
  clearTimeout(timer);
  $('#overview').hidden = !!state.service;
  $('#alerts-section').hidden = !!state.service;
  $('#service-view').hidden = !state.service;
  try {
    if (state.service) await loadService(); else await loadOverview();
    $('#banner').hidden = true;
    $('#status').textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC · refreshes every ' + REFRESH_MS / 1000 + 's';
    document.body.setAttribute('data-loaded', 'true');
  } catch (e) {
    $('#banner').hidden = false;
    $('#banner').textContent = (e.status === 503 ? 'The processor cannot answer right now (' + e.message + '); retrying.' : e.message);
    $('#status').textContent = 'update failed ' + new Date().toISOString().slice(11, 19) + ' UTC';
  }
  timer = setTimeout(refresh, REFRESH_MS);
}

$('#ranges').replaceChildren(...Object.keys(RANGES).map((r) => el('button', {type: 'button', class: r === state.range ? 'on' : '',
  onclick: (ev) => {
    state.range = r;
    document.querySelectorAll('#ranges button').forEach((b) => b.classList.toggle('on', b === ev.target));
    refresh();
  }}, r)));
window.addEventListener('resize', () => { clearTimeout(timer); timer = setTimeout(refresh, 300); });
refresh();
