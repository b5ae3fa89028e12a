/* The editors' form: Decap CMS with the handbook's configuration, layout and checks.
 *
 * Loaded after decap-cms.js (with CMS_MANUAL_INIT set), js-yaml, libphonenumber-js, checks.js,
 * layout.js and chapters.js. The configuration comes from handbook-cms.json, which the build writes from the
 * schemas and the nav (handbook/editors/cms_config.py); nothing here names a file or a field. */
(function () {
  "use strict";
  const CMS = window.CMS;
  const yaml = window.jsyaml;
  const { HandbookChapters, HandbookChecks, HandbookLayout } = window;
  const settingsUrl = new URL("handbook-cms.json", document.currentScript.src);

  // The message handbook check would give for this value, or null: formats first, then the
  // allowed email domains (which the check runs only on an address it could read), then patterns.
  function problem(field, value, settings, entry) {
    const check = field.get("check");
    if (check === "chapter-address") {
      // Only a new chapter's title makes an address; an existing chapter keeps its own.
      if (!entry || !entry.get("newRecord")) return null;
      const chapters = settings.config.collections.find((c) => c.name === "chapters");
      return HandbookChapters.addressProblem(value, settings.taken, chapters.folder);
    }
    if (check) {
      const options = { phone: settings.phone, phoneRegions: settings.phone_regions };
      const message = HandbookChecks.formatMessage(check, value, options);
      if (message) return message;
      if (check === "email") {
        const domain = HandbookChecks.allowedDomainMessage(value, settings.allowed_email_domains);
        if (domain) return domain;
      }
    }
    const pattern = field.get("check_pattern");
    if (pattern) return HandbookChecks.patternMessage(value, pattern, field.get("check_pattern_description") || "");
    return null;
  }

  function registerTextWidget(settings) {
    const string = CMS.getWidget("string");
    // Decap asks a field's control whether its value is valid before it saves, and shows the
    // message under the field; an empty field is left to Decap's own "required" check.
    class HandbookText extends string.control {
      isValid() {
        const value = this.props.value;
        if (value === undefined || value === null || value === "") return true;
        const message = problem(this.props.field, String(value), settings, this.props.entry);
        return message ? { error: { message } } : true;
      }
    }
    CMS.registerWidget("handbook-text", HandbookText, string.preview);
    const text = CMS.getWidget("text");
    // A page's text: its pictures need alt text and must be the handbook's own.
    class HandbookPageText extends text.control {
      isValid() {
        const message = HandbookChecks.pictureMessage(this.props.value || "");
        return message ? { error: { message } } : true;
      }
    }
    CMS.registerWidget("handbook-page-text", HandbookPageText, text.preview);
  }

  function registerFormats(settings) {
    const collections = settings.config.collections;
    for (const [name, layout] of Object.entries(settings.formats)) {
      const collection = collections.find((c) => c.format === name);
      const fields = collection.files[0].fields;
      CMS.registerCustomFormat(name, "yaml", {
        fromFile: (text) => HandbookLayout.parseData(yaml, text),
        toFile: (data) => HandbookLayout.formatData(data, fields, layout.header),
      });
    }
    const chapters = collections.find((c) => c.format === "handbook-chapter");
    if (chapters) {
      const fields = chapters.fields.filter((field) => !["heading", "body"].includes(field.name));
      CMS.registerCustomFormat("handbook-chapter", "md", {
        fromFile: (text) => HandbookLayout.parseChapter(yaml, text),
        toFile: (data) => HandbookLayout.formatChapter(data, fields),
      });
    }
    const pages = collections.find((c) => c.format === "handbook-page");
    if (pages) {
      const fields = pages.files[0].fields.filter((field) => field.name !== "body");
      CMS.registerCustomFormat("handbook-page", "md", {
        fromFile: (text) => HandbookLayout.parsePage(yaml, text),
        toFile: (data) => HandbookLayout.formatPage(data, fields),
      });
    }
  }

  fetch(settingsUrl)
    .then((response) => {
      if (!response.ok) throw new Error(`${settingsUrl} answered ${response.status}`);
      return response.json();
    })
    .then((settings) => {
      registerTextWidget(settings);
      registerFormats(settings);
      CMS.init({ config: settings.config });
    })
    .catch((error) => {
      const note = document.createElement("p");
      note.setAttribute("role", "alert");
      note.textContent = `The editors' form could not start (${error.message}). Reload the page; if it happens again, tell the handbook's maintainers.`;
      document.body.prepend(note);
    });
})();
