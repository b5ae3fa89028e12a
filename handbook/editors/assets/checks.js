/* The editors' form (/admin/) refuses a bad value before it is saved, with the message that
 * `handbook check` would give for it: each function here ports one check of handbook/data/validation.py
 * or handbook/data/rules.py word for word. tests/editors/test_cms_checks.py runs both on the same values and
 * fails on any difference.
 *
 * Where this port cannot be sure of the Python wording, it returns null and lets the value through:
 * the pull request's `handbook check` still refuses it. A message that differs from the one the
 * editor will later see from the check would be worse than none.
 *
 * A classic script with no build step: it defines globalThis.HandbookChecks and needs the
 * libphonenumber global of handbook/vendor/cms/libphonenumber-max.js (loaded before it is called).
 */
(function () {
  "use strict";

  // Python's str.isspace(), for strip() and "has no spaces": JavaScript's \s differs from it
  // (it has U+FEFF, and lacks U+001C to U+001F and U+0085).
  const PY_SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  const pyStrip = (text) => text.replace(new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, "gu"), "");
  const pyRstrip = (text) => text.replace(new RegExp(`${PY_SPACE}+$`, "u"), "");

  // Python compares strings by code point; JavaScript's sort() by UTF-16 unit, which puts
  // characters beyond U+FFFF before U+E000 to U+FFFF.
  function pyCompare(a, b) {
    const x = Array.from(a, (c) => c.codePointAt(0));
    const y = Array.from(b, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i] - y[i];
    }
    return x.length - y.length;
  }

  // email-validator's EmailSyntaxError, with its message; and UNSURE, thrown where the port is
  // not sure of the library's wording (see the top of the file).
  class EmailSyntaxError extends Error {}
  const UNSURE = new Error("not ported");

  // --- phone and phone-region: handbook/data/phones.py (phone_message, region_message) -------------
  // `phone` is what handbook/data/phones.py's form_settings gives for the project's phone_region:
  // {region: "GB", place: "the United Kingdom (GB)", example: "0121 234 5678", emergency: "112|999"}.

  function phoneMessage(value, phone) {
    if (!phone) return null; // no phone_region the check can use: handbook check reports site.yaml
    const lib = globalThis.libphonenumber;
    if (!lib) throw new Error("HandbookChecks: load handbook/vendor/cms/libphonenumber-max.js first");
    // handbook/data/phones.py refuses any letter (Python's str.isalpha is Unicode's letters, \p{L}):
    // a letter read as a keypad digit would dial someone else.
    const number = /\p{L}/u.test(value) ? null : lib.parsePhoneNumberFromString(value, phone.region);
    if (number && number.isValid() && number.country === phone.region) return null;
    // is_emergency_number: digits only, and one of the region's emergency numbers (the pattern of
    // the short-number metadata that the Python library has and this one does not).
    const short = pyStrip(value);
    if (phone.emergency && /^[0-9]{2,6}$/.test(short) && new RegExp(`^(?:${phone.emergency})$`).test(short)) return null;
    // Python counts with str.isdigit: every script's decimal digits, as here, but also
    // superscripts and circled digits (², ①), which this does not count, and with Python's
    // Unicode version. For the digits people type (ASCII, full-width) the counts are the same.
    const digits = (value.match(/\p{Nd}/gu) || []).length;
    return `"${value}" (${digits} digits) is not a valid phone number in ${phone.place}. Check every digit ` +
      `against the source; numbers there are written like "${phone.example}".`;
  }

  // `regions`: the country codes the Python library supports (settings' phone_regions).
  function regionMessage(value, regions) {
    if (!Array.isArray(regions) || regions.includes(value)) return null;
    const wanted = pyStrip(value).toUpperCase();
    const hint = wanted === "UK" ? ' Did you mean "GB"? The United Kingdom\'s code is GB.'
      : regions.includes(wanted) ? ` Did you mean "${wanted}"?` : "";
    return `"${value}" is not a country code the handbook can check phone numbers for.${hint} Write the ` +
      "two-letter code of the country the handbook's phone numbers are in, in capitals: for example " +
      '"GB" for the United Kingdom or "IE" for Ireland.';
  }

  // --- https-url and date: _check_https and _check_date ---------------------------------------

  function httpsMessage(value) {
    if (value.startsWith("https://") && value.length > "https://".length && !new RegExp(PY_SPACE, "u").test(value)) {
      return null;
    }
    return `"${value}" must be a web address that starts with https:// and has no spaces (write a space as %20).`;
  }

  function dateMessage(value) {
    const parts = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
    if (parts) {
      const [year, month, day] = parts.slice(1).map(Number);
      const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
      const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
      if (year >= 1 && days && day >= 1 && day <= days) return null; // Python's dates start at year 1
    }
    return `"${value}" is not a date. Write dates as "YYYY-MM-DD", for example "2026-11-23".`;
  }

  // --- email: email-validator 2.4.0's syntax checks, as validate_email(value,
  // check_deliverability=False) makes them (email_validator/syntax.py and validate_email.py).
  // Not ported, so UNSURE: quoted local parts (any "), bracketed IP addresses after the @-sign,
  // internationalised domains past their first character checks (IDNA), Punycode (xn--) domains,
  // the length of addresses over the limit that are not ASCII, and the names of unusual
  // invisible characters.

  const ATEXT = "a-zA-Z0-9_!#$%&'*+\\-/=?^`{|}~";
  const ATEXT_OR_DOT = new RegExp(`[.${ATEXT}]`);
  const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
  const DOT_ATOM_INTL = new RegExp(`^[${ATEXT}\\u{80}-\\u{10FFFF}]+(?:\\.[${ATEXT}\\u{80}-\\u{10FFFF}]+)*$`, "u");
  const HOSTNAME_CHAR = /[a-zA-Z0-9\-.\u{80}-\u{10FFFF}]/u;
  const SPECIAL_USE_DOMAINS = ["arpa", "invalid", "local", "localhost", "onion", "test"];
  const SAFE = /[\p{L}\p{N}\p{P}\p{S}]/u;
  // unicodedata.name of the spaces and invisible characters that text pasted from documents and
  // web pages carries; controls, private-use and unassigned characters have no name.
  const NAMES = {
    " ": "SPACE", "\u00a0": "NO-BREAK SPACE", "\u00ad": "SOFT HYPHEN", "\u2000": "EN QUAD",
    "\u2001": "EM QUAD", "\u2002": "EN SPACE", "\u2003": "EM SPACE", "\u2004": "THREE-PER-EM SPACE",
    "\u2005": "FOUR-PER-EM SPACE", "\u2006": "SIX-PER-EM SPACE", "\u2007": "FIGURE SPACE",
    "\u2008": "PUNCTUATION SPACE", "\u2009": "THIN SPACE", "\u200a": "HAIR SPACE",
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER",
    "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK", "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR", "\u202f": "NARROW NO-BREAK SPACE",
    "\u205f": "MEDIUM MATHEMATICAL SPACE", "\u2060": "WORD JOINER", "\u3000": "IDEOGRAPHIC SPACE",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
  };

  // safe_character_display: a visible character in Python's repr() quotes, another by its name.
  function charName(c) {
    if (c === "\\") return '"\\"';
    if (SAFE.test(c)) return c === "'" ? `"'"` : `'${c}'`;
    if (/[\p{Cc}\p{Co}\p{Cn}\p{Cs}]/u.test(c)) {
      const code = c.codePointAt(0);
      return "U+" + code.toString(16).toUpperCase().padStart(code < 0xffff ? 4 : 8, "0");
    }
    if (c in NAMES) return NAMES[c];
    throw UNSURE;
  }

  // The characters of `text` that `allowed` does not match, as the library lists them.
  function badChars(text, allowed) {
    const names = new Set(Array.from(text).filter((c) => !allowed.test(c)).map(charName));
    return [...names].sort(pyCompare).join(", ");
  }

  function checkUnsafeChars(text, allowSpace) {
    const bad = new Set();
    Array.from(text).forEach((c, i) => {
      if (SAFE.test(c)) return;
      if (/\p{M}/u.test(c)) {
        if (i === 0) bad.add(c);
      } else if (!(/\p{Zs}/u.test(c) && allowSpace)) {
        bad.add(c);
      }
    });
    if (bad.size) {
      throw new EmailSyntaxError(`The email address contains unsafe characters: ${[...bad].sort(pyCompare).map(charName).join(", ")}.`);
    }
  }

  function checkDotAtom(label, startWords, endWords, isHostname) {
    const fail = (words, what) => { throw new EmailSyntaxError(words.replace("{}", what)); };
    if (label.endsWith(".")) fail(endWords, "period");
    if (label.startsWith(".")) fail(startWords, "period");
    if (label.includes("..")) fail("An email address cannot have two periods in a row.");
    if (!isHostname) return;
    if (label.endsWith("-")) fail(endWords, "hyphen");
    if (label.startsWith("-")) fail(startWords, "hyphen");
    if (label.includes(".-") || label.includes("-.")) fail("An email address cannot have a period and a hyphen next to each other.");
  }

  const tooMany = (diff) => `(${diff} character${diff > 1 ? "s" : ""} too many)`;

  // split_string_at_unquoted_special, without quotes: the text before the first special
  // character, and the rest. A special character that Unicode normalization would combine with
  // the next one (< and U+0338 make ≮) is not special.
  function splitAt(text, specials) {
    const chars = Array.from(text);
    const at = chars.findIndex((c, i) =>
      specials.includes(c) && Array.from(chars.slice(i, i + 32).join("").normalize("NFC"))[0] === c);
    if (at < 0) throw new EmailSyntaxError("An email address must have an @-sign.");
    return [chars.slice(0, at).join(""), chars.slice(at).join("")];
  }

  function validateLocalPart(local) {
    if (local.length === 0) throw new EmailSyntaxError("There must be something before the @-sign.");
    if (DOT_ATOM.test(local)) return;
    if (DOT_ATOM_INTL.test(local)) {
      checkUnsafeChars(local, false);
      return;
    }
    const bad = badChars(local, new RegExp(`[.${ATEXT}\\u{80}-\\u{10FFFF}]`, "u"));
    if (bad) throw new EmailSyntaxError(`The email address contains invalid characters before the @-sign: ${bad}.`);
    checkDotAtom(local, "An email address cannot start with a {}.", "An email address cannot have a {} immediately before the @-sign.", false);
    throw new EmailSyntaxError("The email address contains invalid characters before the @-sign.");
  }

  function validateDomain(domain) {
    const length = Array.from(domain).length;
    if (length > 253) throw new EmailSyntaxError(`The email address is too long after the @-sign ${tooMany(length - 253)}.`);
    const bad = badChars(domain, HOSTNAME_CHAR);
    if (bad) throw new EmailSyntaxError(`The part after the @-sign contains invalid characters: ${bad}.`);
    checkUnsafeChars(domain, false);
    if (/[^\x00-\x7f]/.test(domain)) throw UNSURE; // next come UTS-46 and IDNA
    domain = domain.toLowerCase(); // what UTS-46 mapping does to an ASCII host name
    checkDotAtom(domain, "An email address cannot have a {} immediately after the @-sign.", "An email address cannot end with a {}.", true);
    if (domain.split(".").some((label) => /^(?!xn)..--/i.test(label))) {
      throw new EmailSyntaxError("An email address cannot have two letters followed by two dashes immediately after the @-sign or after a period, except Punycode.");
    }
    const long = domain.split(".").find((label) => label.length > 63);
    if (long) throw new EmailSyntaxError(`After the @-sign, periods cannot be separated by so many characters ${tooMany(long.length - 63)}.`);
    if (!domain.includes(".")) throw new EmailSyntaxError("The part after the @-sign is not valid. It should have a period.");
    if (!/[A-Za-z]$/.test(domain)) throw new EmailSyntaxError("The part after the @-sign is not valid. It is not within a valid top-level domain.");
    if (SPECIAL_USE_DOMAINS.some((d) => domain === d || domain.endsWith("." + d))) {
      throw new EmailSyntaxError("The part after the @-sign is a special-use or reserved name that cannot be used with email.");
    }
    if (domain.includes("xn--")) throw UNSURE;
  }

  // The library's message for `email`, or null when it would accept it.
  function emailReason(email) {
    if (email.includes('"')) throw UNSURE;
    let [local, domain] = splitAt(email, ["@", "<"]);
    let displayName = null;
    if (domain.startsWith("<")) {
      displayName = pyRstrip(local);
      const bad = badChars(displayName, { test: (c) => (ATEXT_OR_DOT.test(c) || c === " ") && c !== "." });
      if (bad) throw new EmailSyntaxError(`The display name contains invalid characters when not quoted: ${bad}.`);
      checkUnsafeChars(displayName, true);
      if (!domain.includes(">")) {
        throw new EmailSyntaxError("An open angle bracket at the start of the email address has to be followed by a close angle bracket at the end.");
      }
      const bracketed = domain.replace(/ +$/, "");
      if (!bracketed.endsWith(">")) throw new EmailSyntaxError("There can't be anything after the email address.");
      [local, domain] = splitAt(bracketed.slice(1, -1), ["@"]);
    }
    domain = domain.slice(1); // the @-sign

    validateLocalPart(local);
    const normalized = local.normalize("NFC");
    if (normalized !== local) {
      try {
        validateLocalPart(normalized);
      } catch (err) {
        if (err instanceof EmailSyntaxError) throw new EmailSyntaxError("After Unicode normalization: " + err.message);
        throw err;
      }
    }
    if (domain.length === 0) throw new EmailSyntaxError("There must be something after the @-sign.");
    if (domain.startsWith("[") && domain.endsWith("]")) throw UNSURE;
    validateDomain(domain);

    const original = `${local}@${domain}`;
    if (/^[\x00-\x7f]*$/.test(original)) {
      if (original.length > 254) throw new EmailSyntaxError(`The email address is too long ${tooMany(original.length - 254)}.`);
    } else if (Math.max(utf8Length(original), utf8Length(`${normalized}@${domain}`)) > 254) {
      throw UNSURE;
    }
    if (displayName !== null) {
      throw new EmailSyntaxError("A display name and angle brackets around the email address are not permitted here.");
    }
    return null;
  }

  const utf8Length = (text) => Array.from(text).reduce((n, c) => {
    const code = c.codePointAt(0);
    return n + (code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4);
  }, 0);

  function emailMessage(value) {
    try {
      emailReason(value);
      return null;
    } catch (err) {
      if (err === UNSURE) return null;
      if (err instanceof EmailSyntaxError) return `"${value}" is not a valid email address: ${err.message}`;
      throw err;
    }
  }

  // --- rule 4 of handbook/data/rules.py: allowed_domain_message ------------------------------------

  // difflib.SequenceMatcher(None, a, b).ratio(), over code points as Python indexes strings.
  // autojunk (elements of b more common than 1% + 1) only applies when b has 200 or more.
  function ratio(a, b) {
    a = Array.from(a);
    b = Array.from(b);
    const b2j = new Map();
    b.forEach((c, j) => (b2j.get(c) || b2j.set(c, []).get(c)).push(j));
    if (b.length >= 200) {
      for (const [c, indices] of [...b2j]) if (indices.length > Math.floor(b.length / 100) + 1) b2j.delete(c);
    }
    function findLongestMatch(alo, ahi, blo, bhi) {
      let [besti, bestj, bestsize] = [alo, blo, 0];
      let j2len = new Map();
      for (let i = alo; i < ahi; i++) {
        const newj2len = new Map();
        for (const j of b2j.get(a[i]) || []) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j2len.get(j - 1) || 0) + 1;
          newj2len.set(j, k);
          if (k > bestsize) [besti, bestj, bestsize] = [i - k + 1, j - k + 1, k];
        }
        j2len = newj2len;
      }
      // With no junk function, only the popular elements were left out of b2j: extend over them.
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) [besti, bestj, bestsize] = [besti - 1, bestj - 1, bestsize + 1];
      while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
      return [besti, bestj, bestsize];
    }
    // get_matching_blocks: only the total size matters for the ratio.
    let matches = 0;
    const queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop();
      const [i, j, k] = findLongestMatch(alo, ahi, blo, bhi);
      if (k) {
        matches += k;
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    const total = a.length + b.length;
    return total ? (2 * matches) / total : 1;
  }

  // difflib.get_close_matches(word, possibilities, n=1, cutoff=0.6)[0], or null. Its quick ratios
  // only bound ratio() from above, so they never change the result. Of equal scores, heapq.nlargest
  // keeps the greatest (score, word), so the word that sorts last.
  function closeMatch(word, possibilities) {
    let best = null;
    for (const candidate of possibilities) {
      const score = ratio(candidate, word);
      if (score >= 0.6 && (!best || score > best.score || (score === best.score && pyCompare(candidate, best.word) > 0))) {
        best = { score, word: candidate };
      }
    }
    return best && best.word;
  }

  // `allowedDomains` as written in site.yaml's allowed_email_domains. toLowerCase() and Python's
  // lower() differ only on letters newer than Python 3.11's Unicode (14).
  function allowedDomainMessage(address, allowedDomains) {
    if (typeof address !== "string" || !Array.isArray(allowedDomains)) return null;
    const domain = address.slice(address.lastIndexOf("@") + 1).toLowerCase();
    const allowed = [...new Set(allowedDomains.filter((d) => typeof d === "string").map((d) => d.toLowerCase()))].sort(pyCompare);
    if (allowed.includes(domain)) return null;
    const hint = closeMatch(domain, allowed);
    const fix = hint !== null ? `Did you mean "${hint}"?`
      : "If the address is right, add its domain to allowed_email_domains in data/site.yaml.";
    return `"${address}" is on the domain "${domain}", which is not in the allowed list (${allowed.join(", ")}). ${fix}`;
  }

  // --- the schemas' own keywords --------------------------------------------------------------

  // `options`: what the project's settings give the checks, {phone, phoneRegions} (handbook-cms.js).
  const FORMATS = {
    phone: (value, options) => phoneMessage(value, options.phone),
    "phone-region": (value, options) => regionMessage(value, options.phoneRegions),
    email: emailMessage, "https-url": httpsMessage, date: dateMessage,
  };

  function formatMessage(format, value, options = {}) {
    return typeof value === "string" && FORMATS[format] ? FORMATS[format](value, options) : null;
  }

  // plain_message for a "pattern" error. JSON Schema patterns are ECMA-262 regular expressions that
  // match anywhere unless anchored. (Python's jsonschema uses re.search, where $ also matches before
  // a final newline: a value ending in a newline is refused here and not there.)
  function patternMessage(value, pattern, description) {
    if (typeof value !== "string" || new RegExp(pattern, "u").test(value)) return null;
    return pyStrip(`"${value}" is not written correctly. ${description || ""}`);
  }

  // --- pictures in a page's text ---------------------------------------------------------------

  // As handbook/checks/check.py's _LINK finds a Markdown picture: ![alt](address "title").
  const PICTURE = /!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g;
  const EMPTY_ALT_WORDS = new Set(["image", "picture", "photo", "photograph", "screenshot", "img"]);

  function plainWords(text) {
    return text.replace(/[-_]+/g, " ").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  // handbook/checks/content.py alt_text_problem, word for word.
  function altTextMessage(alt, src) {
    const words = alt.split(/\s+/).filter(Boolean).join(" ");
    if (!words) return `an image ("${src}") has no alt text. Add a short description: ![What the picture shows](file.png).`;
    const name = src.split(/[?#]/)[0].split("/").pop();
    const stem = name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : name;
    const said = plainWords(words);
    if (said === plainWords(name) || said === plainWords(stem) || EMPTY_ALT_WORDS.has(said)) {
      return `the alt text of an image ("${src}") is only "${words}", which does not say what it shows. Describe the picture for someone who cannot see it: ![What the picture shows](file.png).`;
    }
    return null;
  }

  /** The first picture in a page's Markdown that `handbook check` would refuse, and why; or null.
   * (The check also refuses a picture that is missing, too large or not a PNG, JPEG, GIF or WebP:
   * only the build has the files.) */
  function pictureMessage(markdown) {
    for (const [, alt, src] of String(markdown).matchAll(PICTURE)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(src) ? !/^data:/i.test(src) : src.startsWith("//")) {
        // handbook/checks/check.py _link_problem, word for word.
        return `the picture "${src}" is on another site. Readers without signal, and the PDF, would not have it, and that site would see who reads the page. Upload the picture to the handbook (in the editors' form: Media) and show it from there.`;
      }
      const message = altTextMessage(alt, src);
      if (message) return message;
    }
    return null;
  }

  globalThis.HandbookChecks = { formatMessage, patternMessage, allowedDomainMessage, pictureMessage };
})();
