// app.js -- enhances the pages of `tally serve`. The server renders every page
// with its content (tables, figures, evidence: server/pages.c), so the pages
// work without this script; it adds sortable tables (keyboard-reachable
// buttons with aria-sort), the incident map (#map-panel, from /api/map with
// the page's filters) and the running-totals chart (#timeline-panel, from
// /api/series). Strings from the database are only ever set as text
// (createTextNode / textContent / setAttribute on inert attributes), never
// parsed as HTML.
'use strict';

const SVGNS = 'http://www.w3.org/2000/svg';

function add(node, kids) {
  if (!Array.isArray(kids)) kids = [kids];
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) add(node, k);
    else node.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
  }
  return node;
}
function el(tag, attrs, ...kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'href') n.setAttribute('href', safeHref(v));
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v);
  }
  return add(n, kids);
}
function sv(tag, attrs, ...kids) {
  const n = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'href') n.setAttribute('href', safeHref(v));
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v);
  }
  return add(n, kids);
}
// Only our own paths are links.
function safeHref(h) { return typeof h === 'string' && h.startsWith('/') && !h.startsWith('//') ? h : '#'; }

async function getJSON(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  let j = null;
  try { j = await r.json(); } catch (e) { j = null; }
  if (!r.ok) throw new Error((j && j.error) || ('HTTP ' + r.status));
  return j;
}

const fmtNum = v => (v === null || v === undefined ? '?' : Number(v).toLocaleString('en-US'));
const QUAL = { about: 'about', at_least: 'at least', more_than: 'more than', nearly: 'nearly', up_to: 'up to' };
// a figure in its source's words ("more than 100"), like the server's
function words(text, qualifier, value) {
  if (!text) return fmtNum(value);
  const w = QUAL[qualifier];
  return w && !text.startsWith(w) ? w + ' ' + text : text;
}
const place = o => o.place ? o.place + (o.country ? ' (' + o.country + ')' : '') : 'no place';
const fmtDates = (a, b) => !a ? 'undated' : !b || a === b ? a : a + ' – ' + b;

// ---------------------------------------------------------------- tooltip
const tip = el('div', { class: 'tip', role: 'tooltip', id: 'tip' });
document.body.appendChild(tip);
function showTipAt(x, y, kids) {
  tip.textContent = '';
  add(tip, kids);
  tip.style.display = 'block';
  const left = Math.max(4, Math.min(x + 14, window.innerWidth - tip.offsetWidth - 8));
  const top = y + 14 + tip.offsetHeight > window.innerHeight ? y - tip.offsetHeight - 10 : y + 14;
  tip.style.left = left + 'px';
  tip.style.top = Math.max(4, top) + 'px';
}
function hideTip() { tip.style.display = 'none'; }
// hover, keyboard focus and touch all show it
function tipOn(node, kids) {
  node.addEventListener('mousemove', ev => showTipAt(ev.clientX, ev.clientY, kids()));
  node.addEventListener('mouseleave', hideTip);
  node.addEventListener('focus', () => { const r = node.getBoundingClientRect(); showTipAt(r.right, r.top, kids()); });
  node.addEventListener('blur', hideTip);
}

// ---------------------------------------------------------------- sortable tables
function sortable(table) {
  const ths = [...table.querySelectorAll('thead th')];
  ths.forEach((th, idx) => {
    if (!th.dataset.key) return;
    const label = th.textContent;
    th.textContent = '';
    const btn = el('button', { type: 'button', class: 'sort' }, label);
    th.appendChild(btn);
    th.setAttribute('aria-sort', 'none');
    btn.addEventListener('click', () => {
      const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      for (const o of ths) if (o.hasAttribute('aria-sort')) o.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', dir);
      const num = th.dataset.num === '1';
      const key = tr => { const td = tr.children[idx]; const v = td ? (td.dataset.sort ?? td.textContent) : ''; return num ? (v === '' ? -Infinity : Number(v)) : v.toLowerCase(); };
      const body = table.tBodies[0];
      const rows = [...body.rows];
      rows.sort((a, b) => { const x = key(a), y = key(b); const c = x < y ? -1 : x > y ? 1 : 0; return dir === 'ascending' ? c : -c; });
      for (const r of rows) body.appendChild(r);
    });
  });
}

// ---------------------------------------------------------------- the map
// A colour scale readable by colour-blind readers (viridis: purple, teal,
// yellow; no red-green): the spread between an incident's low and high.
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];
function spreadColor(i) {
  if (i.low === null || i.high === null || i.bound_claims < 2) return '#9aa4ad';
  const s = i.high > 0 ? Math.min(1, (i.high - i.low) / i.high) : 0;
  return VIRIDIS[Math.min(VIRIDIS.length - 1, Math.floor(s * VIRIDIS.length))];
}

function drawMap(panel, data, borders) {
  const incs = data.incidents;
  const located = incs.filter(i => i.lat !== null && i.lon !== null);
  const unlocated = incs.filter(i => i.lat === null || i.lon === null);
  panel.textContent = '';
  if (!located.length) {
    add(panel, el('p', { class: 'muted' }, 'No incident of this view has coordinates.'));
  } else {
    // fit the view to the incidents shown (padded), equirectangular scaled
    // by the cosine of the middle latitude
    let w = Math.min(...located.map(i => i.lon)), e = Math.max(...located.map(i => i.lon));
    let s = Math.min(...located.map(i => i.lat)), n = Math.max(...located.map(i => i.lat));
    const padX = Math.max((e - w) * 0.08, 2), padY = Math.max((n - s) * 0.1, 1.5);
    w = Math.max(-180, w - padX); e = Math.min(180, e + padX); s = Math.max(-85, s - padY); n = Math.min(85, n + padY);
    const k = Math.cos(((s + n) / 2) * Math.PI / 180);
    const W = 1000;
    let H = Math.round(W * (n - s) / ((e - w) * k));
    if (H > 620) { const span = (n - s) * 620 / H; const c = (w + e) / 2; const hw = (e - w) * (H / 620) / 2; w = c - hw; e = c + hw; H = 620; void span; }
    if (H < 320) { const c = (s + n) / 2; const hh = (n - s) * (320 / H) / 2; s = c - hh; n = c + hh; H = 320; }
    const X = lon => (lon - w) / (e - w) * W, Y = lat => (n - lat) / (n - s) * H;
    const svg = sv('svg', { id: 'map', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `map of ${located.length} located incidents` });
    svg.appendChild(sv('rect', { x: 0, y: 0, width: W, height: H, class: 'sea' }));
    if (borders) {
      for (const c of borders.countries) {
        const inView = c.rings.some(r => r.some(p => p[0] >= w - 20 && p[0] <= e + 20 && p[1] >= s - 20 && p[1] <= n + 20));
        if (!inView) continue;
        const d = c.rings.map(r => 'M' + r.map(p => X(p[0]).toFixed(1) + ' ' + Y(p[1]).toFixed(1)).join('L') + 'Z').join('');
        svg.appendChild(sv('path', { class: 'land', d }, sv('title', null, c.name)));
      }
    }
    // circles: area by the best figure, scaled to the incidents shown
    const maxBest = Math.max(1, ...located.map(i => i.best || 0));
    const radius = i => 3 + 20 * Math.sqrt(Math.max(i.best || 0, 0) / maxBest);
    // incidents at the same spot are spread on a small ring around it
    const spots = new Map();
    for (const i of located) {
      const key = Math.round(X(i.lon) / 4) + ':' + Math.round(Y(i.lat) / 4);
      if (!spots.has(key)) spots.set(key, []);
      spots.get(key).push(i);
    }
    const pos = new Map();
    for (const group of spots.values()) {
      group.forEach((i, j) => {
        const x = X(i.lon), y = Y(i.lat);
        if (group.length === 1) { pos.set(i, [x, y]); return; }
        const a = 2 * Math.PI * j / group.length, r = 6 + 2 * group.length;
        pos.set(i, [x + r * Math.cos(a), y + r * Math.sin(a)]);
      });
    }
    const g = sv('g', { class: 'incs' });
    for (const inc of located.slice().sort((a, b) => radius(b) - radius(a))) {
      const [x, y] = pos.get(inc);
      const label = `#${inc.incident_id} ${place(inc)}: ${inc.victims} ${inc.outcome}, best ${words(inc.best_text, inc.best_qualifier, inc.best)}`;
      const a = sv('a', { href: '/incidents/' + Number(inc.incident_id), 'aria-label': label },
        sv('circle', { class: 'inc', cx: x.toFixed(1), cy: y.toFixed(1), r: radius(inc).toFixed(1), fill: spreadColor(inc),
          'data-incident': inc.incident_id, 'data-country': inc.country || '' }, sv('title', null, label)));
      tipOn(a, () => [el('b', null, `#${inc.incident_id} ${place(inc)}`), el('div', null, fmtDates(inc.first_day, inc.last_day)),
        el('div', null, `${inc.victims} ${inc.outcome}: low ${words(inc.low_text, inc.low_qualifier, inc.low)} · best ${words(inc.best_text, inc.best_qualifier, inc.best)} · high ${words(inc.high_text, inc.high_qualifier, inc.high)}`),
        el('div', null, `${inc.n_claims} claim(s), ${inc.claimants} claimant(s)`)]);
      g.appendChild(a);
    }
    svg.appendChild(g);
    // labels that do not collide: the biggest first, each where it fits
    // (measured once drawn), else none
    add(panel, svg);
    const boxes = [];
    const free = bx => bx.x >= 0 && bx.x + bx.width <= W && bx.y >= 0 && bx.y + bx.height <= H &&
      !boxes.some(o => bx.x < o.x + o.width && o.x < bx.x + bx.width && bx.y < o.y + o.height && o.y < bx.y + bx.height);
    const named = new Set();
    for (const inc of located.slice().sort((a, b) => (b.best || 0) - (a.best || 0))) {
      if (!inc.place || named.has(inc.place)) continue;
      const [x, y] = pos.get(inc), r = radius(inc);
      for (const [dx, dy, anchor] of [[r + 3, 4, 'start'], [-r - 3, 4, 'end'], [0, -r - 4, 'middle'], [0, r + 12, 'middle']]) {
        const t = sv('text', { class: 'plabel', x: (x + dx).toFixed(1), y: (y + dy).toFixed(1), 'text-anchor': anchor }, inc.place);
        svg.appendChild(t);
        const bb = t.getBBox();
        const bx = { x: bb.x - 1, y: bb.y - 1, width: bb.width + 2, height: bb.height + 2 };
        if (free(bx)) { boxes.push(bx); named.add(inc.place); break; }
        t.remove();
      }
    }
  }
  const dot = c => { const d = el('span', { class: 'dot' }); d.style.background = c; return d; };
  add(panel, el('div', { class: 'maplegend', id: 'map-legend' },
    el('span', null, `${located.length} incident(s) drawn${data.total > incs.length ? ` (the first ${incs.length} of ${data.total})` : ''}. Circle area: the best figure (largest shown: ${fmtNum(Math.max(0, ...located.map(i => i.best || 0)))}).`),
    el('span', null, 'Spread between low and high: '), ...VIRIDIS.map((c, i) => el('span', null, dot(c), ' ', i === 0 ? 'agree' : i === VIRIDIS.length - 1 ? 'high ≫ low' : '')),
    el('span', null, dot('#9aa4ad'), ' one claim'),
    el('span', { class: 'muted' }, borders ? 'Outlines: Natural Earth' : 'no outlines')));
  if (unlocated.length) {
    const byCountry = new Map();
    for (const i of unlocated) { const k = i.place || 'no place'; if (!byCountry.has(k)) byCountry.set(k, []); byCountry.get(k).push(i); }
    add(panel, el('div', { class: 'unlocated', id: 'map-unlocated' },
      el('b', null, `${unlocated.length} incident(s) without a point`), ' (a country, region or area as a whole; not drawn on a capital): ',
      [...byCountry.entries()].map(([k, list], j) => [j ? ', ' : '', el('a', { href: '/incidents/' + Number(list[0].incident_id) }, k), list.length > 1 ? ` ×${list.length}` : ''])));
  }
}

async function enhanceMap() {
  const panel = document.getElementById('map-panel');
  if (!panel || !panel.dataset.src) return;
  try {
    const [data, borders] = await Promise.all([getJSON(panel.dataset.src), fetch('/assets/borders.json').then(r => (r.ok ? r.json() : null), () => null)]);
    drawMap(panel, data, borders);
  } catch (e) { panel.textContent = ''; add(panel, el('p', { class: 'error' }, 'Map: ' + e.message)); }
}

// ---------------------------------------------------------------- the timeline
// Okabe-Ito colours (distinct for colour-blind readers), with a dash pattern
// each: at most a handful of series are drawn at once (a page of them).
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];
const DASHES = [null, '6 3', '2 3', '8 3 2 3', '4 4', '1 3', '10 4'];

function drawTimeline(panel, points) {
  const series = [];
  const byId = new Map();
  for (const p of points) {
    if (!byId.has(p.series_id)) { const s = { id: p.series_id, claimant: p.claimant, outcome: p.outcome, victims: p.victims, period: p.period_start, points: [], on: true }; byId.set(p.series_id, s); series.push(s); }
    byId.get(p.series_id).points.push(p);
  }
  series.forEach((s, i) => { s.color = PALETTE[i % PALETTE.length]; s.dash = DASHES[i % DASHES.length]; });
  panel.textContent = '';
  if (!series.length) { add(panel, el('p', { class: 'muted' }, 'No running totals in this view.')); return; }
  const scale = el('select', { id: 'tl-scale', 'aria-label': 'scale' }, el('option', { value: 'log' }, 'log scale'), el('option', { value: 'linear' }, 'linear scale'));
  const holder = el('div', { class: 'chartwrap' });
  const legend = el('div', { class: 'legend', id: 'timeline-legend' });
  const draw = () => { holder.textContent = ''; add(holder, chart(series.filter(s => s.on), scale.value)); };
  for (const s of series) {
    const vals = s.points.map(p => fmtNum(p.value));
    const btn = el('button', { type: 'button', class: 'toggle', 'aria-pressed': 'true', 'data-series': s.id },
      (() => { const sw = el('span', { class: 'sw' }); sw.style.background = s.color; return sw; })(),
      `${s.claimant || 'unattributed'} — ${s.victims} ${s.outcome}: ${vals.length > 6 ? '… ' + vals.slice(-6).join(' → ') : vals.join(' → ')}${s.period ? ' (since ' + s.period + ')' : ''}`);
    btn.addEventListener('click', () => { s.on = !s.on; btn.setAttribute('aria-pressed', String(s.on)); draw(); });
    legend.appendChild(btn);
  }
  scale.addEventListener('change', draw);
  add(panel, [el('div', { class: 'controls' }, el('label', null, scale),
    el('span', { class: 'muted' }, 'Click a series in the legend to hide or show it; a point for its claim. The bar under the axis is the period a total counts since.')), holder, legend]);
  draw();
}

const compact = v => v >= 1e6 ? v / 1e6 + 'M' : v >= 1e3 ? v / 1e3 + 'k' : String(v);

function chart(list, scale) {
  const W = 1000, T = 16, B = 36, L = 56, R = 20;
  const H = 320 + 12 * list.length;
  const plotB = H - B - 12 * list.length; // the period bars go under the plot
  const pts = list.flatMap(s => s.points);
  if (!pts.length) return el('p', { class: 'muted' }, 'Every series is hidden.');
  const t = d => Date.parse(d + 'T00:00:00Z');
  // the axis spans the points; a period that starts before it is clipped and labelled
  const times = pts.map(p => t(p.as_of));
  let t0 = Math.min(...times), t1 = Math.max(...times);
  const pad = Math.max((t1 - t0) * 0.04, 86400e3 * 3);
  t0 -= pad; t1 += pad;
  const vmax = Math.max(...pts.map(p => p.value || 0), 1);
  const log = scale === 'log';
  const y1 = log ? Math.log10(vmax) + 0.3 : vmax * 1.1;
  const X = v => L + (v - t0) / (t1 - t0) * (W - L - R);
  const Y = v => { const u = log ? Math.log10(Math.max(v, 1)) : v; return plotB - u / y1 * (plotB - T); };
  const svg = sv('svg', { id: 'timeline', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'running totals per claimant over time' });
  const g = sv('g', { class: 'axis' });
  const ticks = [];
  if (log) { for (let e = 0; Math.pow(10, e) <= Math.pow(10, y1); e++) for (const m of [1, 2, 5]) { const v = m * Math.pow(10, e); if (Math.log10(v) <= y1) ticks.push(v); } }
  else { const step = Math.pow(10, Math.floor(Math.log10(y1 / 5 || 1))); const k = y1 / step > 25 ? 5 : y1 / step > 10 ? 2 : 1; for (let v = 0; v <= y1; v += step * k) ticks.push(v); }
  for (const v of ticks) {
    g.appendChild(sv('line', { class: 'grid', x1: L, x2: W - R, y1: Y(v), y2: Y(v) }));
    g.appendChild(sv('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end', class: 'tick' }, compact(v)));
  }
  // x ticks: years, or months when the span is short
  const years = (t1 - t0) / (365.25 * 86400e3);
  const d = new Date(t0); d.setUTCMonth(years > 3 ? 0 : d.getUTCMonth(), 1); d.setUTCHours(0, 0, 0, 0);
  const stepM = years > 40 ? 120 : years > 12 ? 24 : years > 3 ? 12 : years > 1 ? 3 : 1;
  for (d.setUTCMonth(d.getUTCMonth() + stepM); d.getTime() <= t1; d.setUTCMonth(d.getUTCMonth() + stepM)) {
    const x = X(d.getTime());
    g.appendChild(sv('line', { class: 'grid', x1: x, x2: x, y1: T, y2: plotB }));
    g.appendChild(sv('text', { x, y: H - 14, 'text-anchor': 'middle', class: 'tick' }, stepM >= 12 ? String(d.getUTCFullYear()) : d.toISOString().slice(0, 7)));
  }
  svg.appendChild(g);
  list.forEach((s, k) => {
    const ps = s.points.filter(p => p.as_of && p.value !== null);
    if (!ps.length) return;
    // the period the total counts since, as a span under the plot
    const y = plotB + 8 + 12 * k;
    if (s.period) {
      const clipped = t(s.period) < t0;
      svg.appendChild(sv('line', { class: 'period', x1: X(Math.max(t(s.period), t0)), x2: X(t(ps[ps.length - 1].as_of)), y1: y, y2: y, stroke: s.color },
        sv('title', null, `${s.claimant || 'unattributed'}: counted since ${s.period}`)));
      if (clipped) svg.appendChild(sv('text', { class: 'tick', x: L + 2, y: y + 4 }, '◂ since ' + s.period));
    }
    svg.appendChild(sv('path', { class: 'series', stroke: s.color, 'stroke-dasharray': s.dash, d: ps.map((p, i) => (i ? 'L' : 'M') + X(t(p.as_of)).toFixed(1) + ' ' + Y(p.value).toFixed(1)).join('') }));
    for (const p of ps) {
      const label = `${s.claimant || 'unattributed'}: ${words(p.count_text, p.qualifier, p.value)} ${p.victims} ${p.outcome} as of ${p.as_of}${p.period_start ? ' (since ' + p.period_start + ')' : ''} — “${p.sentence}”`;
      const a = sv('a', { href: '/claims/' + Number(p.claim_id), 'aria-label': label },
        sv('circle', { class: 'pt' + (p.down ? ' down' : ''), cx: X(t(p.as_of)).toFixed(1), cy: Y(p.value).toFixed(1), r: 4.5, fill: s.color,
          'data-claimant': s.claimant || '', 'data-value': p.value }, sv('title', null, label)));
      tipOn(a, () => [el('b', null, `${s.claimant || 'unattributed'}: ${words(p.count_text, p.qualifier, p.value)} ${p.victims} ${p.outcome}`),
        el('div', null, 'as of ' + p.as_of + (p.period_start ? ', since ' + p.period_start : '')), el('div', null, '“' + p.sentence + '”')]);
      svg.appendChild(a);
    }
  });
  return svg;
}

async function enhanceTimeline() {
  const panel = document.getElementById('timeline-panel');
  if (!panel || !panel.dataset.src) return;
  try { drawTimeline(panel, (await getJSON(panel.dataset.src)).points); }
  catch (e) { panel.textContent = ''; add(panel, el('p', { class: 'error' }, 'Chart: ' + e.message)); }
}

async function main() {
  for (const t of document.querySelectorAll('table.sortable')) sortable(t);
  await Promise.all([enhanceMap(), enhanceTimeline()]);
  const ev = document.getElementById('evidence');
  if (ev && document.body.dataset.page === 'claim') ev.scrollIntoView({ block: 'center' });
  document.body.setAttribute('data-ready', '1');
}
main();
