// browser.mjs -- drives the pages of `tally serve` in headless chromium
// (playwright-core, Debian's /usr/bin/chromium) over the seeds database.
//   usage: node browser.mjs URL SCREENSHOT_DIR PROFILE_DIR PLAYWRIGHT_CORE_INDEX
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';

const [base, shots, profile, pwPath] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const { chromium } = require(pwPath);

let failures = 0;
const check = (ok, what) => { console.log((ok ? 'ok   ' : 'FAIL ') + what); if (!ok) failures++; };
const json = async path => (await fetch(new URL(path, base))).json();

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

async function open(path) {
  const resp = await page.goto(new URL(path, base).href, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
  return resp;
}
const shot = name => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

try {
  // ---- overview: the timeline has the expected series
  await open('/');
  const values = await page.$$eval('#timeline circle.pt', cs => cs.map(c => [c.getAttribute('data-claimant'), Number(c.getAttribute('data-value'))]));
  const has = (who, v) => values.some(([c, x]) => c.includes(who) && x === v);
  check(has('Azerbaijani NGOs', 23) && has('Azerbaijani NGOs', 27), 'timeline: the NGOs series 23 -> 27');
  check(has('Prosecutor General', 27) && has('Prosecutor General', 93), 'timeline: the Prosecutor General series 27 -> 93');
  check(has('Amnesty', 146), "timeline: Amnesty's 146");
  const legend = await page.textContent('#timeline-legend');
  check(/23 → 27/.test(legend) && /27 → 93/.test(legend) && /146/.test(legend), 'timeline legend: 23 → 27, 27 → 93, 146');
  const title = await page.$eval('#timeline circle.pt[data-value="93"] title', t => t.textContent);
  check(/93/.test(title) && /rose to 93/.test(title), 'timeline point carries its evidence sentence');
  const docs = await page.$$eval('#documents tbody tr', rs => rs.length);
  check(docs >= 5, `overview lists the documents (${docs})`);
  await page.hover('#timeline circle.pt[data-value="93"]');
  await shot('overview');

  // ---- incidents: map and table
  await open('/incidents');
  const circles = await page.$$eval('#map circle.inc', cs => cs.length);
  check(circles >= 3, `map: incidents drawn (${circles})`);
  const land = await page.$$eval('#map path.land', ps => ps.length);
  check(land >= 3, `map: country outlines drawn (${land})`);
  const rows = await page.$$eval('#incidents tbody tr', rs => rs.length);
  await page.fill('#inc-filter', 'Ganja');
  const ganjaRows = await page.$$eval('#incidents tbody tr', rs => rs.map(r => r.textContent));
  check(ganjaRows.length > 0 && ganjaRows.length < rows && ganjaRows.every(t => t.includes('Ganja')), 'incidents table: filter by place');
  await page.fill('#inc-filter', '');
  await page.click('#incidents th[data-key="best"]');
  await page.click('#incidents th[data-key="best"]');
  const bests = await page.$$eval('#incidents tbody tr td:nth-child(8) a', as => as.map(a => parseInt(a.textContent, 10)));
  check(bests.length > 1 && bests.every((v, i) => i === 0 || bests[i - 1] >= v), 'incidents table: sort by best (descending)');
  await shot('incidents');

  // ---- the Ganja incident lists its claims
  const inc = await json('/api/incidents');
  const ganja = inc.bounds.find(b => b.place === 'Ganja' && b.kind === 'aggregate') || inc.bounds.find(b => b.place === 'Ganja');
  check(!!ganja, 'API: a Ganja incident');
  const detail = await json('/api/incidents/' + ganja.incident_id);
  await open('/incidents/' + ganja.incident_id);
  const cards = await page.$$eval('#claims .claim', cs => cs.map(c => c.getAttribute('data-claim')));
  check(cards.length === detail.claims.length && cards.length > 0, `Ganja incident #${ganja.incident_id} lists its ${detail.claims.length} claims`);
  const text = await page.textContent('#claims');
  check(detail.claims.every(c => text.includes(c.claimant || 'unattributed')), 'Ganja incident: every claimant shown');
  check((await page.textContent('h1')).includes('Ganja'), 'Ganja incident: title');
  await shot('incident');

  // ---- a claim page highlights its sentence
  const tl = await json('/api/timeline');
  const p93 = tl.points.find(p => p.value === 93);
  const claim = await json('/api/claims/' + p93.claim_id);
  await open('/claims/' + p93.claim_id);
  const mark = await page.textContent('mark#evidence');
  check(mark === claim.claim.sentence, 'claim page: the evidence sentence is highlighted in its document');
  check(await page.isVisible('mark#evidence'), 'claim page: the highlight is visible');
  check(await page.$eval('#document-link', a => a.getAttribute('href')) === '/documents/' + claim.claim.document_id, 'claim page: links to its document');
  await shot('claim');

  // ---- the hostile document shows <script> as text
  const s = await json('/api/search?q=alert');
  const hostile = s.results[0];
  check(!!hostile, 'search API finds the hostile document');
  dialogs.length = 0;
  await open('/documents/' + hostile.document_id);
  const body = await page.textContent('#doctext');
  check(body.includes('<script>alert(1)</script>') && body.includes('<img src=x onerror=alert(2)>'), 'document page: <script> shown as text');
  check(await page.$$eval('main script, main img', n => n.length) === 0, 'document page: no script or img element from the text');
  await shot('document');

  // ---- search with highlighted hits
  await open('/search?q=Ganja');
  const hits = await page.$$eval('#results .hit', hs => hs.length);
  const marks = await page.$$eval('#results mark', ms => ms.map(m => m.textContent.toLowerCase()));
  check(hits > 0 && marks.length > 0 && marks.every(m => m.includes('ganja')), `search: ${hits} hits with highlighted terms`);
  await shot('search');
  await open('/search?q=' + encodeURIComponent('<script>alert(3)</script>'));
  check((await page.textContent('h1')).includes('<script>alert(3)</script>'), 'search: a hostile query is shown as text');

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
