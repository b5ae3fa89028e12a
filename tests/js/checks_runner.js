// For tests/editors/test_cms_checks.py: runs handbook/editors/assets/checks.js as the editors' form loads it
// (after the vendored libphonenumber bundle, as classic scripts sharing one global) on the cases
// given as a JSON list on stdin, and prints the messages (null for none) as a JSON list.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const root = path.resolve(__dirname, "..", "..");
const context = vm.createContext({});
for (const file of ["handbook/vendor/cms/libphonenumber-max.js", "handbook/editors/assets/checks.js"]) {
  vm.runInContext(fs.readFileSync(path.join(root, file), "utf8"), context, { filename: file });
}
const checks = context.HandbookChecks;

const run = {
  format: (c) => checks.formatMessage(c.format, c.value, c.options || {}),
  pattern: (c) => checks.patternMessage(c.value, c.pattern, c.description),
  domain: (c) => checks.allowedDomainMessage(c.value, c.allowed),
  picture: (c) => checks.pictureMessage(c.value),
};
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(cases.map((c) => run[c.kind](c))));
