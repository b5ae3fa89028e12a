/* The handbook's layout for its data files and its pages' front matter, in the browser: the editors'
 * form (Decap CMS) saves through these functions, so that a file it writes is the file
 * `handbook format` would write (handbook/data/yaml_format.py). tests/editors/test_cms.py runs both over every
 * data file and page and requires the same text, byte for byte.
 *
 * Decap gives each record's values and, in the form's configuration (handbook/editors/cms_config.py), the
 * fields in the schema's order: that order is the layout's order, as the schema's is in Python.
 * Reading uses js-yaml with the core schema, so that no text becomes a date or a number. */
(function (root) {
  "use strict";

  const INDENT = "  ";

  function isScalar(value) {
    return value === null || value === undefined || typeof value !== "object";
  }

  function isEmpty(value) {
    if (value === undefined || value === null || value === "") return true;
    if (Array.isArray(value)) return value.length === 0;
    if (typeof value === "object") return Object.keys(value).length === 0;
    return false;
  }

  // A field an editor left empty or cleared is left out, not written as "" or []: every schema
  // asks for at least one character or one item, so an empty value is never a value, and leaving
  // it out means a form's untouched optional fields never add lines to a file.
  function clean(value) {
    if (Array.isArray(value)) {
      return value.map(clean).filter((item) => !isEmpty(item));
    }
    if (value !== null && typeof value === "object") {
      const out = {};
      for (const [key, item] of Object.entries(value)) {
        const kept = clean(item);
        if (!isEmpty(kept)) out[key] = kept;
      }
      return out;
    }
    return value;
  }

  // As Python writes it: json.dumps for text (a JSON string is a YAML double-quoted string), and
  // repr for numbers, where a float that is a whole number keeps its ".0".
  function scalar(value, field) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") {
      const float = field && field.value_type === "float";
      return Number.isInteger(value) && float ? value.toFixed(1) : String(value);
    }
    if (value === null || value === undefined) return "null";
    return JSON.stringify(String(value));
  }

  function fieldNamed(fields, name) {
    return (fields || []).find((field) => field.name === name);
  }

  function subfields(field) {
    if (!field) return [];
    return field.fields || (field.field ? [field.field] : []);
  }

  function order(keys, fields) {
    const known = (fields || []).map((field) => field.name).filter((name) => keys.includes(name));
    return known.concat(keys.filter((key) => !known.includes(key)));
  }

  function mapping(data, fields, depth) {
    const lines = [];
    for (const key of order(Object.keys(data), fields)) {
      lines.push(...fieldLines(key, data[key], fieldNamed(fields, key), depth));
    }
    return lines;
  }

  function fieldLines(key, value, field, depth) {
    const pad = INDENT.repeat(depth);
    if (isScalar(value)) return [`${pad}${key}: ${scalar(value, field)}`];
    if (Array.isArray(value) && value.every(isScalar)) {
      const item = field && field.field;
      return [`${pad}${key}: [${value.map((v) => scalar(v, item)).join(", ")}]`];
    }
    if (!Array.isArray(value)) return [`${pad}${key}:`, ...mapping(value, subfields(field), depth + 1)];
    const lines = [`${pad}${key}:`];
    value.forEach((entry, number) => {
      if (depth === 0 && number) lines.push("");
      lines.push(...itemLines(entry, subfields(field), depth + 1));
    });
    return lines;
  }

  function itemLines(entry, fields, depth) {
    const pad = INDENT.repeat(depth);
    if (isScalar(entry) || Array.isArray(entry) || Object.keys(entry).length === 0) {
      return [`${pad}- ${isScalar(entry) ? scalar(entry) : JSON.stringify(entry)}`];
    }
    const body = mapping(entry, fields, depth + 1);
    return [`${pad}- ${body[0].slice(INDENT.length * (depth + 1))}`, ...body.slice(1)];
  }

  /** The text of a data file: its header (from the schema, made at build time), then its fields. */
  function formatData(data, fields, header) {
    const cleaned = clean(data);
    const lines = header.slice();
    for (const key of order(Object.keys(cleaned), fields)) {
      lines.push("", ...fieldLines(key, cleaned[key], fieldNamed(fields, key), 0));
    }
    return lines.join("\n") + "\n";
  }

  function parseData(yaml, text) {
    return yaml.load(text, { schema: yaml.CORE_SCHEMA }) || {};
  }

  const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n?---\r?\n/;

  /** A page as the form's fields: its front matter's fields, and `body`, the Markdown as written. */
  function parsePage(yaml, text) {
    const match = FRONT_MATTER.exec(text);
    if (!match) return { body: text };
    const front = yaml.load(match[1], { schema: yaml.CORE_SCHEMA }) || {};
    return { ...front, body: text.slice(match[0].length) };
  }

  /** A page's text: the front matter in the layout, then the Markdown exactly as the editor left it. */
  function formatPage(data, fields) {
    const { body = "", ...front } = data;
    const lines = mapping(clean(front), fields, 0);
    return (lines.length ? `---\n${lines.join("\n")}\n---\n` : "") + body;
  }

  // A chapter's first line is its title, then a blank line (every chapter is written so; the test
  // of the layout over every chapter holds it to that).
  const TITLE = /^# ([^\r\n]+)\r?\n\r?\n/;

  /** A chapter as the form's fields: a page, its title (`heading`) taken from the top of the text. */
  function parseChapter(yaml, text) {
    const page = parsePage(yaml, text);
    const match = TITLE.exec(page.body);
    if (!match) return page;
    return { ...page, heading: match[1], body: page.body.slice(match[0].length) };
  }

  /** A chapter's text: the front matter, the title as its first line, then the text. */
  function formatChapter(data, fields) {
    const { heading = "", body = "", ...rest } = data;
    const title = String(heading).trim();
    return formatPage({ ...rest, body: title ? `# ${title}\n\n${body}` : body }, fields);
  }

  root.HandbookLayout = { formatData, parseData, parsePage, formatPage, parseChapter, formatChapter, clean };
})(globalThis);
