// Render CSL-JSON items with citeproc-js, the reference CSL processor (Zotero, Mendeley).
// Reads one JSON request on stdin:
//   {"locale": "<path of locales-en-US.xml>",
//    "items": [CSL-JSON items, in citation order],
//    "jobs": [{"style": "<path of a .csl file>", "format": "text" | "html"}, ...]}
// and writes {"results": [{"style", "format", "entries": [[id, entry], ...]}, ...]}: each
// bibliography entry as citeproc-js prints it, in the style's order.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const localeXml = fs.readFileSync(request.locale, "utf8");
const byId = new Map(request.items.map((item) => [String(item.id), item]));
const sys = {
  retrieveLocale: () => localeXml,
  retrieveItem: (id) => byId.get(String(id)),
};

const results = request.jobs.map((job) => {
  const engine = new CSL.Engine(sys, fs.readFileSync(job.style, "utf8"), "en-US", true);
  engine.setOutputFormat(job.format);
  engine.updateItems([...byId.keys()]);
  const [meta, entries] = engine.makeBibliography();
  const ids = meta.entry_ids.map((group) => String(group[0]));
  return {
    style: job.style,
    format: job.format,
    entries: ids.map((id, i) => [id, entries[i]]),
  };
});
process.stdout.write(JSON.stringify({ results }));
