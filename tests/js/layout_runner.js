// Runs handbook/editors/assets/layout.js as the editors' form does, for tests/editors/test_cms.py: reads
// {config, formats, files: [{collection, text}]} on stdin and prints, for each file, the text the
// form would save after reading it and changing nothing.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const root = path.resolve(__dirname, "..", "..");
const box = {};
vm.createContext(box);
for (const file of ["handbook/vendor/cms/js-yaml.min.js", "handbook/editors/assets/layout.js"]) {
  vm.runInContext(fs.readFileSync(path.join(root, file), "utf8"), box, { filename: file });
}
const { jsyaml, HandbookLayout } = box;
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const collections = input.config.collections;
const out = input.files.map(({ collection, file, text, edit }) => {
  const c = collections.find((each) => each.name === collection);
  // A folder collection (the chapters) has its fields itself, a files collection per file.
  const entry = c.files ? c.files.find((each) => each.file === file) : c;
  if (c.format === "handbook-chapter") {
    const data = HandbookLayout.parseChapter(jsyaml, text);
    if (edit) Object.assign(data, edit);
    return HandbookLayout.formatChapter(data, entry.fields.filter((f) => !["heading", "body"].includes(f.name)));
  }
  if (c.format === "handbook-page") {
    const data = HandbookLayout.parsePage(jsyaml, text);
    if (edit) Object.assign(data, edit);
    return HandbookLayout.formatPage(data, entry.fields.filter((f) => f.name !== "body"));
  }
  const data = HandbookLayout.parseData(jsyaml, text);
  if (edit) Object.assign(data, edit);
  return HandbookLayout.formatData(data, entry.fields, input.formats[c.format].header);
});
process.stdout.write(JSON.stringify(out));
