/* A new chapter's address, worked out as Decap CMS works it out from the title, so that the form can
 * refuse a title whose address another page already has before anything is saved. (Decap itself
 * would save the new chapter as consent-1.md beside consent.md without a word, and the editor would
 * not know the address readers get.)
 *
 * Decap's steps (decap-cms-core, lib/formatters.ts prepareSlug and lib/urlHelper.ts sanitizeSlug)
 * with the form's slug settings (cms_config.SLUG: ascii, accents cleaned, "-" for anything else):
 * trim, lower case, drop ', . becomes -, accents removed, every character other than a letter,
 * digit, _, -, . or ~ becomes -, a name Windows reserves becomes -, runs of - become one and - at
 * either end goes. tests/editors/test_cms.py checks this against titles an editor might type, and
 * the browser test against the file Decap writes. */
(function (root) {
  "use strict";

  const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

  /** The file name Decap gives a new chapter with this title, without .md ("" if it has none). */
  function address(title) {
    let slug = String(title).trim().toLocaleLowerCase().replace(/'/g, "").replace(/\./g, "-");
    // Decap removes accents with the diacritics package's table. Decomposing and dropping the
    // combining marks gives the same for a letter with an accent (é, ü, ç); a letter that table
    // spells out (æ, ø, ß) becomes - here, so for such a title the check may miss a clash: Decap
    // then adds -1 to the name, an address nobody chose, but no page is overwritten.
    slug = slug.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    slug = Array.from(slug).map((char) => (/[\w\-.~]/.test(char) ? char : "-")).join("");
    if (/^\.+$/.test(slug) || WINDOWS_RESERVED.test(slug)) slug = "-";
    return slug.replace(/-+/g, "-").replace(/^-/, "").replace(/-$/, "");
  }

  /** Why a new chapter cannot have this title, in plain English, or null. `taken` maps each file
   * name already in use (without .md) to the page that has it; `folder` is the chapters' folder. */
  function addressProblem(title, taken, folder) {
    const name = address(title);
    if (!name) return "Give the chapter a title with at least one letter or number: its address is made from it.";
    const page = taken[name];
    if (!page) return null;
    if (page === `${folder}/${name}.md`) {
      return `There is already a chapter called this, at handbook/${name}/ (${page}). Give this one a different title, or open that chapter from the list to change it.`;
    }
    return `A new chapter with this title would be saved as ${name}.pdf, the name of the PDF of ${page}. Give it a different title.`;
  }

  root.HandbookChapters = { address, addressProblem };
})(globalThis);
