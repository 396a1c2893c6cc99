// chrono_timex.mjs -- tags documents with chrono-node, for comparison with
// `tally extract --timex` (bench/timex.sh).
//
//   node bench/chrono_timex.mjs CHRONO_DIR DOCS.jsonl > PRED.jsonl
//
// CHRONO_DIR is the folder npm installed chrono-node into (.deps/npm). Each
// input line is a document {"id", "published", "text"}; each output line an
// expression {"doc","start","end","text","type","value"} with start/end byte
// offsets into the UTF-8 text, type DATE or TIME (chrono finds no durations
// or sets) and value in TIMEX3 form: the components chrono is certain of,
// the others left out (a month: YYYY-MM), resolved against "published".
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, docs] = process.argv.slice(2);
if (!dir || !docs) {
  console.error('usage: node chrono_timex.mjs CHRONO_DIR DOCS.jsonl');
  process.exit(2);
}
const require = createRequire(path.resolve(dir, 'package.json'));
const chrono = require('chrono-node');

const pad = (n, w) => String(n).padStart(w, '0');

function value(c) {
  const y = pad(c.get('year'), 4), m = pad(c.get('month'), 2), d = pad(c.get('day'), 2);
  if (c.isCertain('hour')) {
    return { type: 'TIME', value: `${y}-${m}-${d}T${pad(c.get('hour'), 2)}:${pad(c.get('minute') ?? 0, 2)}` };
  }
  if (c.isCertain('day') || c.isCertain('weekday')) return { type: 'DATE', value: `${y}-${m}-${d}` };
  if (c.isCertain('month')) return { type: 'DATE', value: `${y}-${m}` };
  if (c.isCertain('year')) return { type: 'DATE', value: y };
  return { type: 'DATE', value: `${y}-${m}-${d}` };
}

const out = [];
for (const line of readFileSync(docs, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  let doc;
  try { doc = JSON.parse(line); } catch { continue; }
  if (typeof doc.text !== 'string') continue;
  const ref = /^(\d{4})-(\d\d)-(\d\d)/.exec(doc.published || '');
  const instant = ref ? new Date(+ref[1], +ref[2] - 1, +ref[3], 12) : new Date();
  let results = [];
  try { results = chrono.parse(doc.text, { instant }); } catch { results = []; }
  for (const r of results) {
    const start = Buffer.byteLength(doc.text.slice(0, r.index), 'utf8');
    const end = start + Buffer.byteLength(r.text, 'utf8');
    const v = value(r.start);
    out.push(JSON.stringify({ doc: doc.id, start, end, text: r.text, type: v.type, value: v.value }));
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
