// app.js -- the pages of `tally serve`. Every page is index.html; this script
// reads location.pathname, fetches the JSON of /api/... and builds the DOM.
// Strings from the database (document texts, titles, sentences, names) are
// untrusted: they are only ever set as text (createTextNode / textContent /
// setAttribute on inert attributes), never parsed as HTML.
'use strict';

const SVGNS = 'http://www.w3.org/2000/svg';
const main = document.getElementById('main');

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
    if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v);
  }
  return add(n, kids);
}
// Only our own paths are links.
function safeHref(h) { return typeof h === 'string' && h.startsWith('/') && !h.startsWith('//') ? h : '#'; }

async function api1(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  let j = null;
  try { j = await r.json(); } catch (e) { j = null; }
  if (!r.ok) { const e = new Error((j && j.error) || ('HTTP ' + r.status)); e.status = r.status; throw e; }
  return j;
}
// The lists of an answer are paged ("next": the next page, or null): the
// pages are fetched in turn and their lists joined, up to 40 pages.
async function api(path) {
  const j = await api1(path);
  for (let n = 1; j && j.next && n < 40; n++) {
    const more = await api1(path + (path.includes('?') ? '&' : '?') + 'page=' + j.next);
    for (const k of Object.keys(more)) if (Array.isArray(more[k]) && Array.isArray(j[k])) j[k].push(...more[k]);
    j.next = more.next;
  }
  return j;
}

function show(...kids) { main.textContent = ''; add(main, kids); }
function fail(e) {
  document.title = 'tally — ' + (e.status === 404 ? 'not found' : 'error');
  show(el('h1', null, e.status === 404 ? 'Not found' : 'Error'), el('p', { class: 'error' }, e.message));
}

// ---------------------------------------------------------------- formatting
const fmtCount = (lo, hi) => lo === null && hi === null ? '?' : lo === null ? '≤' + hi
  : hi === null ? lo + '+' : lo === hi ? String(lo) : lo + '–' + hi;
const fmtDates = (a, b) => !a ? 'undated' : !b || a === b ? a : a + ' – ' + b;
function role(al) { return !al ? '' : al.startsWith('party') ? 'party' : al.startsWith('aligned') ? 'aligned' : al === 'third' ? 'third' : ''; }
function badge(al) { return al ? el('span', { class: 'badge ' + role(al), title: 'claimant alignment' }, al) : null; }
function claimant(name, al) { return [name || 'unattributed', ' ', badge(al)]; }
const place = o => o.place ? o.place + (o.country ? ' (' + o.country + ')' : '') : 'no place';

// Byte offsets (UTF-8) into a document text -> DOM pieces.
const enc = new TextEncoder(), dec = new TextDecoder();
function textWithMarks(text, marks) {
  const bytes = enc.encode(text || '');
  const sl = (a, b) => dec.decode(bytes.subarray(a, b));
  const out = [];
  let pos = 0;
  for (const m of marks.slice().sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (m.start < pos || m.end > bytes.length || m.end <= m.start) continue; // overlapping or bad: skip
    out.push(sl(pos, m.start));
    out.push(m.make(sl, m.start, m.end));
    pos = m.end;
  }
  out.push(sl(pos, bytes.length));
  return el('div', { class: 'doctext' }, out);
}

// ---------------------------------------------------------------- tooltip
const tip = el('div', { class: 'tip', role: 'tooltip' });
document.body.appendChild(tip);
function showTip(ev, kids) {
  tip.textContent = '';
  add(tip, kids);
  tip.style.display = 'block';
  const x = Math.min(ev.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
  const y = ev.clientY + 14 + tip.offsetHeight > window.innerHeight ? ev.clientY - tip.offsetHeight - 10 : ev.clientY + 14;
  tip.style.left = x + 'px';
  tip.style.top = y + 'px';
}
function hideTip() { tip.style.display = 'none'; }

// ---------------------------------------------------------------- timeline chart
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const DASH = { civilians: null, people: '6 4', military: '2 3' };

function timelineChart(points) {
  const series = new Map();
  for (const p of points) {
    if (!series.has(p.series_id)) series.set(p.series_id, { id: p.series_id, claimant: p.claimant, alignment: p.claimant_alignment, outcome: p.outcome, victims: p.victims, points: [] });
    series.get(p.series_id).points.push(p);
  }
  const claimants = [...new Set(points.map(p => p.claimant))].sort();
  const color = c => PALETTE[claimants.indexOf(c) % PALETTE.length];
  const outcomes = [...new Set(points.map(p => p.outcome))].sort();
  const wrap = el('div', { class: 'panel', id: 'timeline-panel' });
  if (!points.length) { add(wrap, el('p', { class: 'muted' }, 'No running totals (cumulative claims) in this database.')); return wrap; }
  const outSel = el('select', { id: 'tl-outcome', 'aria-label': 'outcome' }, el('option', { value: '' }, 'every outcome'),
    outcomes.map(o => el('option', { value: o }, o)));
  outSel.value = outcomes.includes('killed') ? 'killed' : '';
  const scaleSel = el('select', { id: 'tl-scale', 'aria-label': 'scale' }, el('option', { value: 'log' }, 'log scale'), el('option', { value: 'linear' }, 'linear scale'));
  const holder = el('div');
  add(wrap, [el('div', { class: 'controls' }, el('label', null, 'Outcome ', outSel), el('label', null, scaleSel),
    el('span', { class: 'muted' }, 'One line per claimant, outcome and victims; hover a point for its evidence, click it for the claim.')), holder]);
  const draw = () => { holder.textContent = ''; add(holder, drawTimeline([...series.values()].filter(s => !outSel.value || s.outcome === outSel.value), color, scaleSel.value)); };
  outSel.addEventListener('change', draw);
  scaleSel.addEventListener('change', draw);
  draw();
  return wrap;
}

function drawTimeline(list, color, scale) {
  const W = 1100, H = 420, L = 60, R = 30, T = 20, B = 40;
  const pts = list.flatMap(s => s.points);
  if (!pts.length) return el('p', { class: 'muted' }, 'No series for this outcome.');
  const t = p => Date.parse(p.as_of + 'T00:00:00Z');
  let t0 = Math.min(...pts.map(t)), t1 = Math.max(...pts.map(t));
  const pad = Math.max((t1 - t0) * 0.05, 86400e3 * 3);
  t0 -= pad; t1 += pad;
  const vmax = Math.max(...pts.map(p => p.value), 1);
  const log = scale === 'log';
  const y0 = log ? 0 : 0, y1 = log ? Math.log10(vmax) + 0.3 : vmax * 1.12;
  const X = v => L + (v - t0) / (t1 - t0) * (W - L - R);
  const Y = v => { const u = log ? Math.log10(Math.max(v, 1)) : v; return H - B - (u - y0) / (y1 - y0) * (H - T - B); };
  const svg = sv('svg', { id: 'timeline', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'running totals per claimant over time' });
  // y grid and ticks
  const ticks = [];
  if (log) { for (let e = 0; Math.pow(10, e) <= Math.pow(10, y1); e++) for (const m of [1, 2, 5]) { const v = m * Math.pow(10, e); if (Math.log10(v) <= y1) ticks.push(v); } }
  else { const step = Math.pow(10, Math.floor(Math.log10(y1 / 5 || 1))); const k = y1 / step > 25 ? 5 : y1 / step > 10 ? 2 : 1; for (let v = 0; v <= y1; v += step * k) ticks.push(v); }
  const g = sv('g', { class: 'axis' });
  for (const v of ticks) {
    g.appendChild(sv('line', { class: 'grid', x1: L, x2: W - R, y1: Y(v), y2: Y(v) }));
    g.appendChild(sv('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#555' }, String(v)));
  }
  // x ticks: months
  const d = new Date(t0); d.setUTCDate(1); d.setUTCHours(0, 0, 0, 0);
  const months = [];
  for (d.setUTCMonth(d.getUTCMonth() + 1); d.getTime() <= t1; d.setUTCMonth(d.getUTCMonth() + 1)) months.push(d.getTime());
  const every = Math.ceil(months.length / 12);
  months.forEach((m, i) => {
    if (i % every) return;
    g.appendChild(sv('line', { x1: X(m), x2: X(m), y1: H - B, y2: H - B + 5 }));
    g.appendChild(sv('text', { x: X(m), y: H - B + 18, 'text-anchor': 'middle', 'font-size': 11, fill: '#555' }, new Date(m).toISOString().slice(0, 7)));
  });
  g.appendChild(sv('line', { x1: L, x2: W - R, y1: H - B, y2: H - B }));
  g.appendChild(sv('line', { x1: L, x2: L, y1: T, y2: H - B }));
  svg.appendChild(g);
  const legend = el('div', { class: 'legend', id: 'timeline-legend' });
  for (const s of list) {
    const c = color(s.claimant);
    const label = `${s.claimant} — ${s.victims} ${s.outcome}`;
    const gs = sv('g', { class: 'series-g', 'data-series': s.id, 'data-claimant': s.claimant, 'data-outcome': s.outcome, 'data-victims': s.victims });
    gs.appendChild(sv('path', { class: 'series', stroke: c, 'stroke-dasharray': s.victims in DASH ? DASH[s.victims] : '1 3',
      d: s.points.map((p, i) => (i ? 'L' : 'M') + X(t(p)).toFixed(1) + ' ' + Y(p.value).toFixed(1)).join(' ') }));
    for (const p of s.points) {
      const fig = fmtCount(p.count_low, p.count_high);
      const a = sv('a', { href: '/claims/' + Number(p.claim_id) });
      const circle = sv('circle', { class: 'pt' + (p.down ? ' down' : ''), cx: X(t(p)), cy: Y(p.value), r: 6, fill: c,
        'data-value': p.value, 'data-claim': p.claim_id, 'data-claimant': p.claimant, 'data-as-of': p.as_of,
        onmousemove: ev => showTip(ev, [el('b', null, p.claimant, ' ', badge(p.claimant_alignment)),
          el('div', null, `${p.victims} ${p.outcome}: ${fig} as of ${p.as_of}` + (p.down ? ' (lower than before)' : '') + (p.differs ? ` (${p.differs} other claimant(s) disagree)` : '')),
          el('div', { class: 'quote' }, p.sentence), el('div', { class: 'muted' }, p.doc)]),
        onmouseleave: hideTip }, sv('title', null, `${label}: ${fig} as of ${p.as_of}\n${p.sentence}`));
      a.appendChild(circle);
      gs.appendChild(a);
      gs.appendChild(sv('text', { class: 'vlabel', x: X(t(p)) + 8, y: Y(p.value) - 8 }, fig));
    }
    svg.appendChild(gs);
    const sw = el('span', { class: 'sw' });
    sw.style.background = c;
    add(legend, el('span', { class: 'legend-item', 'data-series': s.id }, sw, label + ': ', s.points.map(p => fmtCount(p.count_low, p.count_high)).join(' → ')));
  }
  return [svg, legend];
}

// ---------------------------------------------------------------- sortable, filterable table
function dataTable(columns, rows, opts) {
  // columns: {key, label, num, cell(row) -> node/text, sort(row) -> value}
  let sortKey = (opts && opts.sortKey) || null, dir = 1;
  const tbody = el('tbody');
  const ths = columns.map(c => {
    const th = el('th', { class: c.nosort ? '' : 'sortable', 'data-key': c.key, scope: 'col' }, c.label);
    if (!c.nosort) th.addEventListener('click', () => { dir = sortKey === c.key ? -dir : 1; sortKey = c.key; render(); });
    return th;
  });
  const table = el('table', { class: 'data', id: opts && opts.id }, el('thead', null, el('tr', null, ths)), tbody);
  let filterFn = () => true;
  function render() {
    const col = columns.find(c => c.key === sortKey);
    const list = rows.filter(r => filterFn(r));
    if (col) {
      const val = col.sort || (r => r[col.key]);
      list.sort((a, b) => {
        const x = val(a), y = val(b);
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * dir;
      });
    }
    ths.forEach(th => { th.classList.remove('asc', 'desc'); if (th.dataset.key === sortKey) th.classList.add(dir > 0 ? 'asc' : 'desc'); });
    tbody.textContent = '';
    for (const r of list) tbody.appendChild(el('tr', null, columns.map(c => el('td', { class: c.num ? 'num' : '' }, c.cell ? c.cell(r) : r[c.key]))));
    if (!list.length) tbody.appendChild(el('tr', null, el('td', { colspan: columns.length, class: 'muted' }, 'No rows.')));
  }
  render();
  table.setFilter = f => { filterFn = f; render(); };
  return table;
}

// ---------------------------------------------------------------- map
function groupIncidents(bounds) {
  const m = new Map();
  for (const b of bounds) {
    if (!m.has(b.incident_id)) m.set(b.incident_id, { id: b.incident_id, place: b.place, country: b.country, lat: b.lat, lon: b.lon, kind: b.kind, first_day: b.first_day, last_day: b.last_day, claimants: b.claimants, bounds: [] });
    m.get(b.incident_id).bounds.push(b);
  }
  for (const inc of m.values()) {
    const killed = inc.bounds.filter(b => b.outcome === 'killed');
    const use = killed.length ? killed : inc.bounds;
    inc.best = Math.max(...use.map(b => b.best ?? 0));
    inc.bestOutcome = use[0] ? use[0].outcome : '';
    // disagreement: the widest relative spread between low and high of any bound
    inc.spread = Math.max(0, ...inc.bounds.map(b => (b.high ?? b.low ?? 0) > 0 ? ((b.high ?? b.low) - (b.low ?? 0)) / (b.high ?? b.low) : 0));
    inc.single = inc.bounds.every(b => b.n_claims <= 1);
  }
  return [...m.values()];
}
const spreadColor = inc => inc.single ? '#9aa4ad' : `hsl(${Math.round(120 * (1 - Math.min(1, inc.spread)))}, 70%, 45%)`;

function incidentMap(incs, borders) {
  const W = 900, H = 520;
  const located = incs.filter(i => i.lat !== null && i.lon !== null);
  let [w, s, e, n] = borders ? borders.bbox : [-180, -85, 180, 85];
  if (located.length) {
    const lons = located.map(i => i.lon), lats = located.map(i => i.lat);
    w = Math.max(w, Math.min(...lons) - 1.5); e = Math.min(e, Math.max(...lons) + 1.5);
    s = Math.max(s, Math.min(...lats) - 1.2); n = Math.min(n, Math.max(...lats) + 1.2);
  }
  const k = Math.cos((s + n) / 2 * Math.PI / 180);
  // fit the box into W x H keeping the aspect
  let spanX = (e - w) * k, spanY = n - s;
  if (spanX / spanY > W / H) { const d = (spanX * H / W - spanY) / 2; s -= d; n += d; spanY = n - s; }
  else { const d = (spanY * W / H - spanX) / 2 / k; w -= d; e += d; spanX = (e - w) * k; }
  const X = lon => (lon - w) * k / spanX * W, Y = lat => (n - lat) / spanY * H;
  const svg = sv('svg', { id: 'map', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'map of incidents' });
  if (borders) {
    const countriesSeen = new Set(located.map(i => i.country));
    for (const c of borders.countries) {
      const d = c.rings.map(r => 'M' + r.map(p => X(p[0]).toFixed(1) + ' ' + Y(p[1]).toFixed(1)).join('L') + 'Z').join('');
      svg.appendChild(sv('path', { class: 'land', d }, sv('title', null, c.name)));
      // label at the centre of its largest ring's box, when inside the view
      const big = c.rings.reduce((a, r) => (r.length > a.length ? r : a), []);
      const xs = big.map(p => p[0]), ys = big.map(p => p[1]);
      const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
      if (cx > w && cx < e && cy > s && cy < n) svg.appendChild(sv('text', { class: 'cname', x: X(cx), y: Y(cy) }, c.name));
      void countriesSeen;
    }
  }
  const maxBest = Math.max(1, ...located.map(i => i.best));
  const radius = i => 5 + 28 * Math.sqrt(Math.max(i.best, 0) / maxBest);
  for (const inc of located.slice().sort((a, b) => radius(b) - radius(a))) {
    const a = sv('a', { href: '/incidents/' + Number(inc.id) });
    a.appendChild(sv('circle', { class: 'inc', cx: X(inc.lon), cy: Y(inc.lat), r: radius(inc), fill: spreadColor(inc), 'data-incident': inc.id,
      onmousemove: ev => showTip(ev, [el('b', null, `#${inc.id} ${place(inc)}`), el('div', null, `${inc.kind}, ${fmtDates(inc.first_day, inc.last_day)}`),
        inc.bounds.map(b => el('div', null, `${b.victims} ${b.outcome}: low ${b.low ?? '?'} · best ${b.best ?? '?'} · high ${b.high ?? '?'}${b.high_open ? '+' : ''} (${b.n_claims} claim${b.n_claims === 1 ? '' : 's'})`))]),
      onmouseleave: hideTip }, sv('title', null, `#${inc.id} ${place(inc)}: best ${inc.best} ${inc.bestOutcome}`)));
    svg.appendChild(a);
  }
  const placesDrawn = new Set();
  for (const inc of located) {
    if (placesDrawn.has(inc.place)) continue;
    placesDrawn.add(inc.place);
    svg.appendChild(sv('text', { class: 'plabel', x: X(inc.lon) + 6, y: Y(inc.lat) + 4 }, inc.place));
  }
  const legend = el('div', { class: 'maplegend' },
    el('span', null, 'Circle area: best estimate (killed when stated).'),
    ...[0, 0.5, 1].map(v => { const d = el('span', { class: 'dot' }); d.style.background = spreadColor({ spread: v }); return el('span', null, d, ' ', v === 0 ? 'sources agree' : v === 1 ? 'high ≫ low' : 'spread ~50%'); }),
    (() => { const d = el('span', { class: 'dot' }); d.style.background = '#9aa4ad'; return el('span', null, d, ' single claim'); })(),
    borders ? el('span', { class: 'muted' }, 'Outlines: Natural Earth') : el('span', { class: 'muted' }, 'no outlines'));
  return el('div', { class: 'panel' }, svg, legend);
}

// ---------------------------------------------------------------- pages
function boundCell(b, which) {
  const v = b[which];
  if (v === null || v === undefined) return '—';
  const id = b[which + '_claim_id'];
  return [id ? el('a', { href: '/claims/' + Number(id) }, String(v) + (which === 'high' && b.high_open ? '+' : '')) : String(v),
    el('span', { class: 'src' }, b[which + '_claimant'] || '')];
}

function boundsColumns(withIncident) {
  const cols = [];
  if (withIncident) {
    cols.push({ key: 'incident_id', label: '#', num: true, cell: b => el('a', { href: '/incidents/' + Number(b.incident_id) }, '#' + b.incident_id) });
    cols.push({ key: 'place', label: 'Place', cell: b => el('a', { href: '/incidents/' + Number(b.incident_id) }, place(b)) });
    cols.push({ key: 'kind', label: 'Kind' });
    cols.push({ key: 'first_day', label: 'Dates', cell: b => fmtDates(b.first_day, b.last_day) });
  }
  cols.push({ key: 'outcome', label: 'Outcome' }, { key: 'victims', label: 'Victims' },
    { key: 'low', label: 'Low', num: true, cell: b => boundCell(b, 'low') },
    { key: 'best', label: 'Best', num: true, cell: b => boundCell(b, 'best') },
    { key: 'high', label: 'High', num: true, cell: b => boundCell(b, 'high') },
    { key: 'n_claims', label: 'Claims', num: true });
  if (withIncident) cols.push({ key: 'claimants', label: 'Claimants', num: true });
  return cols;
}

async function pageOverview() {
  document.title = 'tally — overview';
  const [ov, tl] = await Promise.all([api('/api/overview'), api('/api/timeline')]);
  const c = ov.counts;
  const incs = groupIncidents(ov.incidents);
  show(el('h1', null, 'Casualty claims ledger'),
    el('div', { class: 'cards', id: 'counts' }, [['documents', c.documents], ['claims', c.claims], ['claimants', c.claimants], ['incidents', c.incidents], ['series', c.series]]
      .map(([k, v]) => el('div', { class: 'card', 'data-count': k }, el('b', null, String(v)), k))),
    el('h2', null, 'Running totals by claimant'),
    timelineChart(tl.points),
    el('h2', null, 'Claimants'),
    dataTable([
      { key: 'claimant', label: 'Claimant', cell: r => claimant(r.claimant, r.alignment) },
      { key: 'role', label: 'Role' },
      { key: 'claims', label: 'Claims', num: true }, { key: 'documents', label: 'Documents', num: true },
      { key: 'first_day', label: 'First day' }, { key: 'last_day', label: 'Last day' },
      { key: 'aliases', label: 'Named as', nosort: true }], ov.claimants, { id: 'claimants' }),
    el('h2', null, 'Incidents ', el('a', { href: '/incidents' }, '(map and table)')),
    dataTable([
      { key: 'id', label: '#', num: true, cell: i => el('a', { href: '/incidents/' + Number(i.id) }, '#' + i.id) },
      { key: 'place', label: 'Place', cell: i => el('a', { href: '/incidents/' + Number(i.id) }, place(i)) },
      { key: 'kind', label: 'Kind' }, { key: 'first_day', label: 'Dates', cell: i => fmtDates(i.first_day, i.last_day) },
      { key: 'best', label: 'Best', num: true, cell: i => `${i.best} ${i.bestOutcome}` },
      { key: 'claimants', label: 'Claimants', num: true }], incs, { id: 'overview-incidents' }),
    el('h2', null, 'Documents'),
    dataTable([
      { key: 'published', label: 'Published' },
      { key: 'title', label: 'Title', cell: d => el('a', { href: '/documents/' + Number(d.document_id) }, d.title || d.doc) },
      { key: 'source', label: 'Source' }, { key: 'n_claims', label: 'Claims', num: true }, { key: 'doc', label: 'Id' }], ov.documents, { id: 'documents' }));
}

async function pageIncidents() {
  document.title = 'tally — incidents';
  let borders = null;
  const [inc] = await Promise.all([api('/api/incidents'), fetch('/assets/borders.json').then(r => (r.ok ? r.json() : null)).then(b => { borders = b; }, () => {})]);
  const incs = groupIncidents(inc.bounds);
  const table = dataTable(boundsColumns(true), inc.bounds, { id: 'incidents' });
  const q = el('input', { type: 'search', id: 'inc-filter', placeholder: 'filter: place, claimant, kind…', 'aria-label': 'filter incidents' });
  const outcomes = [...new Set(inc.bounds.map(b => b.outcome))].sort();
  const sel = el('select', { id: 'inc-outcome', 'aria-label': 'outcome' }, el('option', { value: '' }, 'every outcome'), outcomes.map(o => el('option', { value: o }, o)));
  const apply = () => {
    const needle = q.value.trim().toLowerCase();
    table.setFilter(b => (!sel.value || b.outcome === sel.value) && (!needle ||
      [b.place, b.country, b.kind, b.victims, b.outcome, b.low_claimant, b.best_claimant, b.high_claimant, b.first_day].some(v => v && String(v).toLowerCase().includes(needle))));
  };
  q.addEventListener('input', apply);
  sel.addEventListener('change', apply);
  show(el('h1', null, 'Incidents'),
    el('p', { class: 'muted' }, 'Claims about the same place and overlapping days form an incident. Per outcome and victims: the lowest, the median (best) and the highest figure, each with the claimant who states it.'),
    incidentMap(incs, borders),
    el('div', { class: 'controls' }, q, sel, el('span', { class: 'muted' }, 'Click a column to sort.')),
    table);
}

function claimCard(c, opts) {
  const sentenceNode = c.count_start !== null && c.count_start >= c.start && c.count_end <= c.end
    ? (() => { const b = enc.encode(c.sentence || ''); const o = c.start; const sl = (x, y) => dec.decode(b.subarray(x - o, y - o)); return [sl(c.start, c.count_start), el('strong', null, sl(c.count_start, c.count_end)), sl(c.count_end, c.end)]; })()
    : c.sentence;
  return el('div', { class: 'claim', 'data-claim': c.claim_id },
    el('div', { class: 'head' }, el('span', { class: 'fig' }, fmtCount(c.count_low, c.count_high)),
      el('span', null, `${c.victims || ''} ${c.outcome}`), c.qualifier ? el('span', { class: 'muted' }, c.qualifier) : null,
      el('span', null, '· ', claimant(c.claimant, c.claimant_alignment)), el('span', { class: 'muted' }, '· ' + fmtDates(c.date_start, c.date_end)),
      el('span', { class: 'muted' }, '· ' + (c.scope || '') + (c.place ? ' · ' + place(c) : ''))),
    el('blockquote', { class: 'quote' }, sentenceNode),
    el('div', { class: 'links' }, el('a', { href: '/claims/' + Number(c.claim_id) }, 'claim #' + c.claim_id),
      el('a', { href: '/documents/' + Number(c.document_id) }, 'document: ' + (c.title || c.doc)),
      !opts.noIncident && c.incident_id ? el('a', { href: '/incidents/' + Number(c.incident_id) }, 'incident #' + c.incident_id) : null));
}

async function pageIncident(id) {
  const j = await api('/api/incidents/' + id);
  const i = j.incident;
  document.title = `tally — incident #${i.incident_id} ${i.place || ''}`;
  show(el('h1', null, `Incident #${i.incident_id}: ${place(i)}`),
    el('dl', { class: 'fields' }, el('dt', null, 'kind'), el('dd', null, i.kind), el('dt', null, 'days'), el('dd', null, fmtDates(i.first_day, i.last_day)),
      el('dt', null, 'documents dated'), el('dd', null, fmtDates(i.doc_first, i.doc_last)), el('dt', null, 'coordinates'),
      el('dd', null, i.lat !== null ? `${i.lat.toFixed(4)}, ${i.lon.toFixed(4)}` : '—'), el('dt', null, 'claims'), el('dd', null, String(i.n_claims))),
    el('h2', null, 'Bounds'), dataTable(boundsColumns(false), j.bounds, { id: 'bounds' }),
    el('h2', null, `Claims (${j.claims.length})`), el('div', { id: 'claims' }, j.claims.map(c => claimCard(c, { noIncident: true }))));
}

async function pageClaim(id) {
  const j = await api('/api/claims/' + id);
  const c = j.claim, d = j.document;
  document.title = `tally — claim #${c.claim_id}`;
  const field = (k, v) => [el('dt', null, k), el('dd', null, v === null || v === undefined || v === '' ? '—' : v)];
  const text = textWithMarks(d.text, [{ start: c.start, end: c.end, make: (sl, a, b) => {
    const parts = c.count_start !== null && c.count_start >= a && c.count_end <= b
      ? [sl(a, c.count_start), el('strong', null, sl(c.count_start, c.count_end)), sl(c.count_end, b)] : [sl(a, b)];
    return el('mark', { id: 'evidence', class: 'evidence' }, parts);
  } }]);
  show(el('h1', null, `Claim #${c.claim_id}: ${fmtCount(c.count_low, c.count_high)} ${c.victims || ''} ${c.outcome}`),
    el('dl', { class: 'fields' },
      field('claimant', claimant(c.claimant, c.claimant_alignment)), field('named in the text', c.claimant_text),
      field('figure', `${fmtCount(c.count_low, c.count_high)} (“${c.count_text || ''}”)` + (c.qualifier ? ', ' + c.qualifier : '')),
      field('date', fmtDates(c.date_start, c.date_end) + (c.date_text ? ` (“${c.date_text}”)` : '')),
      field('place', c.place ? place(c) + (c.place_text ? ` (“${c.place_text}”)` : '') : null), field('scope', c.scope),
      field('perpetrator', c.perpetrator), field('weapon', c.weapon_name || c.weapon),
      field('incident', c.incident_id ? el('a', { href: '/incidents/' + Number(c.incident_id), id: 'incident-link' }, 'incident #' + c.incident_id) : 'none (cumulative or no place)'),
      field('document', el('a', { href: '/documents/' + Number(d.document_id), id: 'document-link' }, d.title || d.doc)),
      field('published', d.published),
      j.series.length ? field('running total', j.series.map(p => (p.claim_id === c.claim_id ? `[${p.value}]` : String(p.value)) + ' (' + p.as_of + ')').join(' → ')) : null),
    el('h2', null, 'Evidence in its document'), text);
  const m = document.getElementById('evidence');
  if (m) m.scrollIntoView({ block: 'center' });
}

async function pageDocument(id) {
  const j = await api('/api/documents/' + id);
  const d = j.document;
  document.title = 'tally — ' + (d.title || d.doc);
  // one mark a distinct sentence, linking to each of its claims
  const bySpan = new Map();
  for (const c of j.claims) { const k = c.start + ':' + c.end; if (!bySpan.has(k)) bySpan.set(k, []); bySpan.get(k).push(c); }
  const marks = [...bySpan.values()].map(cs => ({ start: cs[0].start, end: cs[0].end, make: (sl, a, b) =>
    el('mark', { title: cs.map(c => `#${c.claim_id}: ${fmtCount(c.count_low, c.count_high)} ${c.victims || ''} ${c.outcome} (${c.claimant || 'unattributed'})`).join('\n') },
      sl(a, b), ' ', cs.map(c => el('a', { href: '/claims/' + Number(c.claim_id), class: 'claimref' }, `[#${c.claim_id}]`))) }));
  show(el('h1', null, d.title || d.doc),
    el('dl', { class: 'fields' }, el('dt', null, 'id'), el('dd', null, d.doc), el('dt', null, 'source'), el('dd', null, d.source || '—'),
      el('dt', null, 'published'), el('dd', null, d.published || '—'),
      el('dt', null, 'reference date'), el('dd', null, `${d.reference_date || '—'} (${d.reference_basis || ''})`),
      el('dt', null, 'url'), el('dd', null, d.url || '—'), el('dt', null, 'claims'), el('dd', null, String(j.claims.length))),
    j.claims.length ? dataTable([
      { key: 'claim_id', label: '#', num: true, cell: c => el('a', { href: '/claims/' + Number(c.claim_id) }, '#' + c.claim_id) },
      { key: 'outcome', label: 'Outcome' }, { key: 'victims', label: 'Victims' },
      { key: 'count_low', label: 'Figure', num: true, cell: c => fmtCount(c.count_low, c.count_high) },
      { key: 'claimant', label: 'Claimant', cell: c => claimant(c.claimant, c.claimant_alignment) },
      { key: 'date_start', label: 'Date', cell: c => fmtDates(c.date_start, c.date_end) },
      { key: 'place', label: 'Place', cell: c => c.place ? place(c) : '—' },
      { key: 'incident_id', label: 'Incident', cell: c => c.incident_id ? el('a', { href: '/incidents/' + Number(c.incident_id) }, '#' + c.incident_id) : '—' }],
    j.claims, { id: 'doc-claims' }) : null,
    el('h2', null, 'Text'), el('div', { id: 'doctext' }, textWithMarks(d.text, marks)));
}

// snippet() marks hits with U+0002 ... U+0003
function hitNodes(s) {
  const out = [];
  const parts = String(s || '').split('\u0002');
  out.push(parts[0]);
  for (const p of parts.slice(1)) { const [hit, rest] = p.split('\u0003'); out.push(el('mark', null, hit)); if (rest !== undefined) out.push(rest); }
  return out;
}

async function pageSearch() {
  const q = new URLSearchParams(location.search).get('q') || '';
  document.title = 'tally — search' + (q ? ': ' + q : '');
  const input = document.querySelector('form.search input');
  if (input) input.value = q;
  if (!q) { show(el('h1', null, 'Search'), el('p', { class: 'muted' }, 'Type a query above (FTS5 syntax: Ganja AND missile, "ballistic missile", Gan*).')); return; }
  let j;
  try { j = await api('/api/search?q=' + encodeURIComponent(q)); }
  catch (e) { show(el('h1', null, 'Search: ' + q), el('p', { class: 'error' }, 'Query error: ' + e.message)); return; }
  show(el('h1', null, `Search: ${q}`), el('p', { class: 'muted' }, `${j.results.length} document(s)`),
    el('div', { id: 'results' }, j.results.map(r => el('div', { class: 'hit' },
      el('a', { href: '/documents/' + Number(r.document_id) }, hitNodes(r.title_hit || r.title || r.doc)),
      el('div', { class: 'muted' }, `${r.published || ''} · ${r.doc} · ${r.n_claims} claims`),
      el('div', { class: 'snippet' }, hitNodes(r.text_hit))))));
}

async function route() {
  const p = location.pathname;
  let m;
  try {
    if (p === '/' || p === '/index.html') await pageOverview();
    else if (p === '/incidents') await pageIncidents();
    else if ((m = /^\/incidents\/(\d+)$/.exec(p))) await pageIncident(m[1]);
    else if ((m = /^\/claims\/(\d+)$/.exec(p))) await pageClaim(m[1]);
    else if ((m = /^\/documents\/(\d+)$/.exec(p))) await pageDocument(m[1]);
    else if (p === '/search') await pageSearch();
    else { const e = new Error('No such page.'); e.status = 404; throw e; }
  } catch (e) { fail(e); }
  document.body.setAttribute('data-ready', '1');
}
route();
