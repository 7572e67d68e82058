// Render a CSL-JSON file's bibliography with citeproc-js (the npm package "citeproc"), the
// processor of Zotero and Mendeley, for tests/test_interop.py:
//   node render.js STYLE.csl LOCALE.xml ITEMS.json text|html
// Prints {"ids": [...], "entries": [...]} on standard output, in the style's order; anything
// citeproc-js reports (CSL.debug, CSL.error, console) goes to standard error.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const [stylePath, localePath, itemsPath, format] = process.argv.slice(2);
CSL.debug = (message) => process.stderr.write(`citeproc-js: ${message}\n`);
CSL.error = (message) => process.stderr.write(`citeproc-js error: ${message}\n`);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const byId = new Map(items.map((item) => [String(item.id), item]));
const engine = new CSL.Engine(
  {
    retrieveLocale: () => fs.readFileSync(localePath, "utf8"),
    retrieveItem: (id) => byId.get(String(id)),
  },
  fs.readFileSync(stylePath, "utf8"),
);
engine.setOutputFormat(format || "text");
engine.updateItems([...byId.keys()]);
const [meta, entries] = engine.makeBibliography();
process.stdout.write(
  JSON.stringify({ ids: meta.entry_ids.map((ids) => String(ids[0])), entries: entries.map((e) => e.trim()) }),
);
