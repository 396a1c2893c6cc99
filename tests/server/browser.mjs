// browser.mjs -- drives the pages of `tally serve` in headless chromium
// (playwright-core, Debian's /usr/bin/chromium) over an archive ledger: the
// seeds, ../shared/corpus/ and ../shared/dev/world-dev.jsonl, plus a hostile
// document. Checks issue 14's acceptance and writes the screenshots.
//   usage: node browser.mjs URL SCREENSHOT_DIR PROFILE_DIR PLAYWRIGHT_CORE_INDEX
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const [base, shots, profile, pwPath] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { chromium } = require(pwPath);

let failures = 0;
const check = (ok, what) => { console.log((ok ? 'ok   ' : 'FAIL ') + what); if (!ok) failures++; };
const get = async path => fetch(new URL(path, base));
const json = async path => (await get(path)).json();

mkdirSync(profile, { recursive: true });
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
const page = ctx.pages()[0] || await ctx.newPage();
const dialogs = [];
page.on('dialog', d => { dialogs.push(d.message()); d.dismiss(); });
const errors = [];
page.on('pageerror', e => errors.push(String(e)));
// Nothing but the server itself may be asked for.
const foreign = [];
page.on('request', r => { if (!r.url().startsWith(base)) foreign.push(r.url()); });

async function open(path, p = page) {
  const resp = await p.goto(new URL(path, base).href, { waitUntil: 'load' });
  await p.waitForSelector('body[data-ready="1"]', { timeout: 15000 });
  return resp;
}
const shot = name => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
const ids = (sel, attr, p = page) => p.$$eval(sel, (ns, a) => ns.map(n => n.getAttribute(a)), attr);

try {
  // ---- a filtered view by country and dates shows only those incidents
  const view = '/incidents?country=AZ&since=2020-10-01&until=2020-10-31';
  await open(view);
  const rows = await page.$$eval('#incidents tbody tr', rs => rs.map(r => ({ id: r.getAttribute('data-incident'), country: r.getAttribute('data-country'), days: r.children[2].getAttribute('data-sort') })));
  const map = await json('/api/map?country=AZ&since=2020-10-01&until=2020-10-31');
  check(rows.length > 0 && rows.every(r => r.country === 'AZ'), `filtered view: ${rows.length} incidents, every one in AZ`);
  check(map.incidents.every(i => i.country === 'AZ' && (i.last_day || '9999') >= '2020-10-01' && (i.first_day || '0000') <= '2020-10-31'),
    'filtered view: every incident of the view in its dates');
  check(await page.$eval('form.filters input[name=country]', i => i.value) === 'AZ' &&
    await page.$eval('form.filters input[name=since]', i => i.value) === '2020-10-01', 'the filter form shows the current view');
  const permalink = await page.$eval('a.permalink', a => a.getAttribute('href'));
  await open('/');
  await open(permalink);
  const again = await ids('#incidents tbody tr', 'data-incident');
  check(permalink.includes('country=AZ') && JSON.stringify(again) === JSON.stringify(rows.map(r => r.id)), `its permalink (${permalink}) reproduces it`);
  // the form, submitted, gives the same view
  await open('/incidents');
  await page.fill('form.filters input[name=country]', 'AZ');
  await page.fill('form.filters input[name=since]', '2020-10-01');
  await page.fill('form.filters input[name=until]', '2020-10-31');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
  await page.waitForSelector('body[data-ready="1"]');
  check(JSON.stringify(await ids('#incidents tbody tr', 'data-incident')) === JSON.stringify(rows.map(r => r.id)), 'the filter form gives the same view');

  // ---- page 2 differs from page 1
  await open('/claims?per_page=20');
  const p1 = await ids('#claims tbody tr', 'data-claim');
  await page.click('nav.pager a.next');
  await page.waitForSelector('body[data-ready="1"]');
  const p2 = await ids('#claims tbody tr', 'data-claim');
  check(p1.length === 20 && p2.length > 0 && p2.every(id => !p1.includes(id)) && page.url().includes('page=2'), `claims: page 2 (${p2.length}) differs from page 1 (${p1.length})`);
  await open('/incidents?page=2&per_page=30');
  const i2 = await ids('#incidents tbody tr', 'data-incident');
  await open('/incidents?per_page=30');
  const i1 = await ids('#incidents tbody tr', 'data-incident');
  check(i1.length === 30 && i2.length > 0 && i2.every(id => !i1.includes(id)), 'incidents: page 2 differs from page 1');

  // ---- the map: incidents in Ukraine, Gaza, Somalia and Azerbaijan at once
  await open('/incidents');
  const countries = new Set(await ids('#map circle.inc', 'data-country'));
  check(['UA', 'PS', 'SO', 'AZ'].every(c => countries.has(c)), `map: incidents in UA, PS (Gaza), SO and AZ drawn at once (${[...countries].sort().join(' ')})`);
  const mapAll = await json('/api/map');
  const located = mapAll.incidents.filter(i => i.lat !== null).length;
  check((await page.$$eval('#map circle.inc', c => c.length)) === located, `map: every located incident drawn (${located})`);
  check((await page.$$eval('#map path.land', p => p.length)) > 20, 'map: world outlines drawn');
  const labels = await page.$$eval('#map text.plabel', ts => ts.map(t => { const b = t.getBBox(); return [b.x, b.y, b.width, b.height]; }));
  const overlap = labels.some((a, i) => labels.some((b, j) => j > i && a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]));
  check(labels.length > 3 && !overlap, `map: ${labels.length} labels, none overlapping`);
  const unlocated = mapAll.incidents.length - located;
  check(unlocated === 0 || (await page.textContent('#map-unlocated')).includes(String(unlocated)), `map: the ${unlocated} incidents without a point are counted, not drawn`);
  // sort headers: keyboard-reachable buttons with aria-sort
  await page.focus('#incidents th[data-key="best"] button');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  check(await page.$eval('#incidents th[data-key="best"]', t => t.getAttribute('aria-sort')) === 'descending', 'sort header: Enter on its button sorts, aria-sort set');
  const bests = await page.$$eval('#incidents tbody tr td:nth-child(6)', ts => ts.map(t => Number(t.getAttribute('data-sort') || -1)));
  check(bests.length > 1 && bests.every((v, i) => i === 0 || bests[i - 1] >= v), 'incidents table: sorted by best (descending)');
  await page.keyboard.press('Escape');
  await page.mouse.move(0, 0);
  await shot('incidents');

  // ---- search: what people type
  for (const q of ['Nagorno-Karabakh', "Amnesty's", 'U.S.']) {
    const r = await open('/search?q=' + encodeURIComponent(q));
    const counts = await page.textContent('#search-counts');
    const hits = await page.$$eval('#results .hit', hs => hs.length);
    check(r.status() === 200 && hits > 0 && (await page.$$('main .error')).length === 0, `search "${q}": ${counts.trim()}`);
  }
  await open('/search?q=' + encodeURIComponent('Nagorno-Karabakh'));
  const sc = await page.textContent('#search-counts');
  check(/[1-9]\d* claim/.test(sc) && /[1-9]\d* incident/.test(sc), 'search finds claims and incidents too');
  await shot('search');

  // ---- the export of a filtered view holds only its rows
  const csvView = 'country=AZ&since=2020-10-01&until=2020-10-31';
  await open('/claims?' + csvView);
  const total = Number((await page.textContent('nav.pager .count')).match(/of (\d+)/)[1]);
  const exportHref = await page.$eval('a.export-csv', a => a.getAttribute('href'));
  const csv = await (await get(exportHref)).text();
  const lines = csv.trim().split('\r\n');
  const head = lines[0].split(',');
  const ci = head.indexOf('country');
  const rowsCsv = lines.slice(1);
  check(exportHref.includes('country=AZ') && rowsCsv.length === total && rowsCsv.length > 0, `export.csv of the view: ${rowsCsv.length} rows (the view has ${total})`);
  const countryOf = line => { const m = line.match(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g); return m ? m[ci].replace(/^,/, '') : ''; };
  check(rowsCsv.every(l => countryOf(l) === 'AZ'), 'export.csv: every row in AZ');
  const geo = await json('/export.geojson?' + csvView);
  check(geo.type === 'FeatureCollection' && geo.features.length > 0 && geo.features.every(f => f.properties.country === 'AZ'), `export.geojson of the view: ${geo.features.length} incidents, all in AZ`);

  // ---- the overview: the headline and the running totals of a claimant
  await open('/?country=AZ&outcome=killed&victims=civilians');
  const values = await page.$$eval('#timeline circle.pt', cs => cs.map(c => [c.getAttribute('data-claimant'), Number(c.getAttribute('data-value'))]));
  const has = (who, v) => values.some(([c, x]) => c.includes(who) && x === v);
  check(has('Prosecutor General', 27) && has('Prosecutor General', 93), 'timeline: the Prosecutor General series 27 -> 93');
  const legend = await page.textContent('#timeline-legend');
  check(/27 → 93/.test(legend), 'timeline legend: 27 → 93');
  const headline = await page.textContent('#headline');
  check(/Prosecutor General/.test(headline) && /93/.test(headline), 'headline: the latest figure of each claimant');
  const nSeries = await page.$$eval('#timeline-legend button', bs => bs.length);
  const colours = new Set(await page.$$eval('#timeline path.series', ps => ps.map(p => p.getAttribute('stroke'))));
  check(nSeries <= 7 && colours.size === nSeries, `timeline: ${nSeries} series, each its own colour`);
  await page.click('#timeline-legend button');
  check((await page.$$eval('#timeline path.series', ps => ps.length)) === nSeries - 1, 'timeline: a legend button hides its series');
  await page.click('#timeline-legend button');
  check((await page.$$eval('#timeline line.period', l => l.length)) > 0, 'timeline: the period (since when) is drawn');
  // contrast of text: alignment badges, muted text, links, header cells (WCAG AA, 4.5:1)
  const ratios = await page.evaluate(() => {
    const rgb = s => s.match(/[\d.]+/g).slice(0, 3).map(Number);
    const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; const [r, g, b] = c.map(f); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const bgOf = n => { for (; n; n = n.parentElement) { const b = getComputedStyle(n).backgroundColor; if (b && !/rgba\(0, 0, 0, 0\)|transparent/.test(b)) return rgb(b); } return [255, 255, 255]; };
    return [...document.querySelectorAll('.badge, .muted, main a, th button, .src, .pager .count')].slice(0, 400).map(n => {
      const a = lum(rgb(getComputedStyle(n).color)), b = lum(bgOf(n));
      return [n.className || n.tagName, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    });
  });
  const low = ratios.filter(([, r]) => r < 4.5);
  check(ratios.length > 20 && low.length === 0, `contrast: ${ratios.length} text elements at 4.5:1 or more (${low.slice(0, 3).map(([c, r]) => c + ' ' + r.toFixed(2)).join(', ')})`);
  await open('/');
  await page.hover('#timeline circle.pt', { force: true });
  await shot('overview');

  // ---- an incident: sources, claims with outlet and date
  const ganja = mapAll.incidents.find(i => i.place === 'Ganja');
  await open('/incidents/' + ganja.incident_id);
  const cards = await page.$$eval('#claims .claim', cs => cs.length);
  check(cards > 0 && (await page.$$eval('#claims .claim .source', s => s.length)) === cards, `incident #${ganja.incident_id}: ${cards} claims, each with outlet and date`);
  check((await page.$$eval('#sources tbody tr', r => r.length)) > 0, 'incident: a sources table');
  await shot('incident');

  // ---- figures in their source's words
  const mt = (await json('/api/map')).incidents.find(i => i.best_qualifier === 'more_than');
  if (mt) {
    await open('/incidents/' + mt.incident_id);
    const t = await page.textContent('#claims');
    check(/more than/.test(t) && !/more_than/.test(t) && !/\d\+/.test(t), 'figures in the source\'s words ("more than N", not N+1+ or more_than)');
  }

  // ---- a claim page highlights its sentence
  await open('/claims?claimant=Prosecutor%20General&outcome=killed');
  const firstClaim = (await ids('#claims tbody tr', 'data-claim'))[0];
  const claim = await json('/api/claims/' + firstClaim);
  await open('/claims/' + firstClaim);
  check((await page.textContent('mark#evidence')) === claim.claim.sentence, 'claim page: the evidence sentence is highlighted in its document');
  check(await page.isVisible('mark#evidence'), 'claim page: the highlight is visible');
  check(await page.$eval('#document-link', a => a.getAttribute('href')) === '/documents/' + claim.claim.document_id, 'claim page: links to its document');
  await shot('claim');
  await open('/claims');
  await shot('claims');

  // ---- the hostile document shows <script> as text
  const s = await json('/api/search?q=alert');
  // by its name, not its rank (PostgreSQL's ts_rank puts longer documents on high alert first)
  const hostile = s.results.find(r => /hostile/.test(r.doc));
  check(!!hostile, 'search API finds the hostile document');
  dialogs.length = 0;
  await open('/documents/' + hostile.document_id);
  const body = await page.textContent('#doctext');
  check(body.includes('<script>alert(1)</script>') && body.includes('<img src=x onerror=alert(2)>'), 'document page: <script> shown as text');
  check(await page.$$eval('main script, main img', n => n.length) === 0, 'document page: no script or img element from the text');
  await shot('document');
  await open('/search?q=' + encodeURIComponent('<script>alert(3)</script>'));
  check((await page.textContent('h1')).includes('<script>alert(3)</script>'), 'search: a hostile query is shown as text');

  // ---- at 390 px no page is wider than the screen
  await page.setViewportSize({ width: 390, height: 800 });
  const pages = ['/', '/incidents', '/claims', '/search?q=Ganja', '/incidents/' + ganja.incident_id, '/claims/' + firstClaim, '/documents/' + hostile.document_id];
  for (const p of pages) {
    await open(p);
    const w = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));
    check(w <= 390, `390 px: ${p} is ${w} px wide`);
  }
  await open('/incidents');
  await page.screenshot({ path: `${shots}/phone-incidents.png`, fullPage: false });
  await page.setViewportSize({ width: 1280, height: 900 });

  // ---- with JavaScript disabled the incident table and the evidence are there
  const plain = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const pc = await plain.newContext({ javaScriptEnabled: false });
  const pp = await pc.newPage();
  pp.on('request', r => { if (!r.url().startsWith(base)) foreign.push(r.url()); });
  await pp.goto(new URL('/incidents', base).href);
  check((await pp.$$eval('#incidents tbody tr', r => r.length)) > 0, 'no JavaScript: the incident table is on the page');
  await pp.goto(new URL('/incidents/' + ganja.incident_id, base).href);
  check((await pp.$$eval('#claims .claim blockquote strong', r => r.length)) > 0, 'no JavaScript: the evidence, its figure in bold, is on the incident page');
  await pp.goto(new URL('/claims/' + firstClaim, base).href);
  check((await pp.textContent('mark#evidence')) === claim.claim.sentence, 'no JavaScript: the claim page highlights its evidence');
  await pp.goto(new URL('/', base).href);
  check((await pp.$$eval('#headline tbody tr', r => r.length)) > 0, 'no JavaScript: the overview has its headline table');
  await plain.close();

  // ---- unknown page
  const r404 = await open('/incidents/999999');
  check(r404.status() === 404 && (await page.textContent('h1')) === 'Not found', 'unknown incident: 404 page');

  check(dialogs.length === 0, `no alert() ran (${dialogs.join(', ')})`);
  check(errors.length === 0, `no script errors (${errors.join('; ')})`);
  check(foreign.length === 0, `no request left the server (${foreign.join(', ')})`);
} catch (e) {
  console.log('FAIL ' + (e.stack || e));
  failures++;
} finally {
  await ctx.close();
}
process.exit(failures ? 1 : 0);
