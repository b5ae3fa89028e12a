// Runs handbook/editors/assets/chapters.js for tests/editors/test_cms.py: reads
// {titles: [...], taken: {...}, folder} on stdin and prints, for each title, [address, problem].
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const file = path.resolve(__dirname, "..", "..", "handbook", "editors", "assets", "chapters.js");
const box = {};
vm.createContext(box);
vm.runInContext(fs.readFileSync(file, "utf8"), box, { filename: file });
const { titles, taken, folder } = JSON.parse(fs.readFileSync(0, "utf8"));
const out = titles.map((title) => [box.HandbookChapters.address(title),
                                   box.HandbookChapters.addressProblem(title, taken, folder)]);
process.stdout.write(JSON.stringify(out));
