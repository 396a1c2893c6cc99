// mkborders.mjs -- writes server/assets/borders.json, the country outlines the
// web report draws its incident map on (no tiles, no network).
//
// Input: Natural Earth 1:50m admin-0 countries (public domain) as TopoJSON,
// from the npm package world-atlas (ISC; installed into .deps/npm, not
// committed):
//   npm install --prefix .deps/npm world-atlas@2.0.2
//   node tools/mkborders.mjs [--in FILE] [--bbox W,S,E,N] [--tol DEG] > server/assets/borders.json
// Every ring is clipped to the bbox (default: the Caucasus and around it),
// simplified (Douglas-Peucker, tolerance in degrees) and rounded to 0.01°.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const input = opt('--in', join(root, '.deps/npm/node_modules/world-atlas/countries-50m.json'));
const [W, S, E, N] = opt('--bbox', '36,36,53,46').split(',').map(Number);
const tol = Number(opt('--tol', '0.02'));

const topo = JSON.parse(readFileSync(input, 'utf8'));
const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
// Decode the delta-encoded, quantized arcs.
const arcs = topo.arcs.map(arc => {
  let x = 0, y = 0;
  return arc.map(([dx, dy]) => { x += dx; y += dy; return [x * sx + tx, y * sy + ty]; });
});
const arcPoints = i => (i >= 0 ? arcs[i] : arcs[~i].slice().reverse());
const ring = idx => {
  const out = [];
  for (const i of idx) { const pts = arcPoints(i); out.push(...(out.length ? pts.slice(1) : pts)); }
  return out;
};

// Sutherland-Hodgman against each side of the box.
function clip(pts) {
  const sides = [
    [p => p[0] >= W, (a, b) => { const t = (W - a[0]) / (b[0] - a[0]); return [W, a[1] + t * (b[1] - a[1])]; }],
    [p => p[0] <= E, (a, b) => { const t = (E - a[0]) / (b[0] - a[0]); return [E, a[1] + t * (b[1] - a[1])]; }],
    [p => p[1] >= S, (a, b) => { const t = (S - a[1]) / (b[1] - a[1]); return [a[0] + t * (b[0] - a[0]), S]; }],
    [p => p[1] <= N, (a, b) => { const t = (N - a[1]) / (b[1] - a[1]); return [a[0] + t * (b[0] - a[0]), N]; }],
  ];
  for (const [inside, cut] of sides) {
    const out = [];
    for (let i = 0; i < pts.length; i++) {
      const a = pts[(i + pts.length - 1) % pts.length], b = pts[i];
      if (inside(b)) { if (!inside(a)) out.push(cut(a, b)); out.push(b); }
      else if (inside(a)) out.push(cut(a, b));
    }
    pts = out;
    if (!pts.length) break;
  }
  return pts;
}

function simplify(pts) {
  if (pts.length < 4) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    let best = -1, dmax = tol;
    const [x1, y1] = pts[a], [x2, y2] = pts[b];
    const len = Math.hypot(x2 - x1, y2 - y1);
    for (let i = a + 1; i < b; i++) {
      // a closed ring's ends coincide: then the distance to that point
      const d = len < 1e-9 ? Math.hypot(pts[i][0] - x1, pts[i][1] - y1)
        : Math.abs((x2 - x1) * (y1 - pts[i][1]) - (x1 - pts[i][0]) * (y2 - y1)) / len;
      if (d > dmax) { dmax = d; best = i; }
    }
    if (best >= 0) { keep[best] = 1; stack.push([a, best], [best, b]); }
  }
  const out = [];
  for (let i = 0; i < pts.length; i++) {
    if (!keep[i]) continue;
    const p = [Math.round(pts[i][0] * 100) / 100, Math.round(pts[i][1] * 100) / 100];
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  return out;
}

const countries = [];
for (const g of topo.objects.countries.geometries) {
  const polys = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : [];
  const rings = [];
  for (const poly of polys) for (const r of poly) {
    const c = simplify(clip(ring(r)));
    if (c.length >= 3) rings.push(c);
  }
  if (rings.length) countries.push({ name: g.properties.name, id: g.id, rings });
}
countries.sort((a, b) => a.name.localeCompare(b.name));
process.stdout.write(JSON.stringify({
  source: 'Natural Earth 1:50m admin-0 countries (public domain, naturalearthdata.com), via the npm package world-atlas 2.0.2; clipped and simplified by tools/mkborders.mjs',
  bbox: [W, S, E, N],
  countries,
}) + '\n');
