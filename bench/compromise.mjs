// compromise.mjs -- what a user would otherwise reach for: the npm library
// compromise with its numbers and dates plugins, over JSON Lines documents,
// for the speed comparison of bench/extract.sh.
//
//   node bench/compromise.mjs DEPS_DIR DOCS.jsonl
//
// DEPS_DIR is the folder npm installed compromise, compromise-numbers and
// compromise-dates into (.deps/npm). For each document ({"text", ...} a
// line) it parses the text and pulls out its numbers (value) and dates
// (resolved start/end) -- less than tally does (no claims, no places, no
// claimants), so the comparison flatters compromise. Prints one line:
//   compromise VERSION docs=N bytes=B seconds=S numbers=X dates=Y plugins=...
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, docs] = process.argv.slice(2);
if (!dir || !docs) {
  console.error('usage: node compromise.mjs DEPS_DIR DOCS.jsonl');
  process.exit(2);
}
const require = createRequire(path.resolve(dir, 'package.json'));
let nlp = require('compromise');
if (nlp.default) nlp = nlp.default;
const plugins = [];
// compromise >= 14 has .numbers() built in (compromise-numbers was folded
// into it); the plugin is applied when it loads, for older versions.
for (const name of ['compromise-numbers', 'compromise-dates']) {
  try {
    let p = require(name);
    if (p && p.default) p = p.default;
    if (name === 'compromise-numbers' && typeof nlp().numbers === 'function') {
      plugins.push(name + '(built-in)');
      continue;
    }
    nlp.plugin(p);
    plugins.push(name);
  } catch (e) {
    plugins.push(name + '(failed:' + String(e.message).slice(0, 40).replace(/\s+/g, '_') + ')');
  }
}
const version = nlp.version || require('compromise/package.json').version;

const lines = readFileSync(docs, 'utf8').split('\n').filter((l) => l.trim());
let bytes = 0, nnum = 0, ndate = 0, ndocs = 0;
const t0 = process.hrtime.bigint();
for (const line of lines) {
  let d;
  try { d = JSON.parse(line); } catch { continue; }
  if (typeof d.text !== 'string') continue;
  bytes += Buffer.byteLength(d.text, 'utf8');
  ndocs++;
  const doc = nlp(d.text);
  const nums = doc.numbers().json();
  nnum += nums.length;
  const opts = {};
  if (typeof d.published === 'string' && /^\d{4}-\d{2}-\d{2}/.test(d.published)) opts.today = d.published.slice(0, 10);
  const dates = typeof doc.dates === 'function' ? doc.dates(opts).json() : [];
  ndate += dates.length;
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`compromise ${version} docs=${ndocs} bytes=${bytes} seconds=${secs.toFixed(3)} numbers=${nnum} dates=${ndate} plugins=${plugins.join(',')}`);
