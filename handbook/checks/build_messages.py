"""Every kind of message that stops a build or a publication, with a real example and what to do.

The editor guide lists these (the `build_messages` macro), beside the checks' own list. Each entry
names the tiny project in tests/fixtures/sites/ that makes the build print it, or the test that
makes `handbook publish` print it; the tests run them and require the example, word for word
(line numbers aside), in what was printed, and require an entry for every fixture. So the guide
shows the messages as they really are, and a new way for a build to fail cannot be added without
explaining it here.
"""

from __future__ import annotations

from dataclasses import dataclass

DATA, PAGES, SITE, PDF, PUBLISHING = (
    "Data files", "Pages", "Links in the built site", "The PDF", "Publishing an edition")
GROUPS = (DATA, PAGES, SITE, PDF, PUBLISHING)


@dataclass(frozen=True)
class BuildMessage:
    source: str  # a folder in tests/fixtures/sites/, or "publish:<test name>" in tests/editions/test_editions.py
    group: str
    title: str  # what went wrong, in the editor's words
    example: str  # one line as the build prints it
    advice: str  # what it means and what to do; `text in backticks` is shown as code


BUILD_MESSAGES = (
    BuildMessage(
        "broken-yaml", DATA, "A data file cannot be read",
        "data/commitments.yaml:4: this is not valid YAML (did not find expected key). Check the "
        "indentation and that text containing a colon or # is in double quotes.",
        "Usually a line indented differently from the lines above it, or text with a colon in it that is not "
        "in double quotes. Look at the line named and the one before it."),
    BuildMessage(
        "duplicate-key", DATA, "A field appears twice in one record",
        "data/commitments.yaml:4: the key `text` appears twice in the same record (lines 3 and 4). YAML would "
        "silently keep only the last one. Delete or rename one of them.",
        "Keep the one that is right and delete the other, so that no correction is silently lost."),
    BuildMessage(
        "base-60-time", DATA, "A time is not in quotes",
        "data/contacts.yaml:10: contacts[0].hours: `9:30` is not in quotes, so YAML read it as a whole number "
        "(570), not as text. Put it in double quotes: \"9:30\"",
        "Put times, phone numbers and words such as yes, no, on and off in double quotes."),
    BuildMessage(
        "unquoted-boolean", DATA, "A yes or no word is not in quotes",
        "data/coordinators.yaml:6: localities[0].name: `no` is not in quotes, so YAML read it as true/false "
        "(False), not as text. Put it in double quotes: \"no\"",
        "Put the text in double quotes."),
    BuildMessage(
        "unquoted-phone-number", DATA, "A phone number is not in quotes",
        "data/contacts.yaml:14: contacts[0].phones[0].number: `01302734110` is not in quotes, so YAML read it "
        "as a whole number (185317448), not as text. Put it in double quotes: \"01302734110\"",
        "Without quotes the leading 0 is lost and the number is wrong. Write it in double quotes, with a "
        "space after the area code, the way people dial it."),
    BuildMessage(
        "unknown-field", DATA, "A field this kind of record does not have",
        "data/training.yaml:11: courses[0].audiance: `audiance` is not a field this record can have. Check the "
        "spelling. Allowed fields: audience, booking, decisions, example, id, last_verified, listed_in, "
        "needs_confirmation, note, other_names, provider, summary, title.",
        "Usually a misspelt field name. Use one of the fields listed."),
    BuildMessage(
        "duplicate-id", DATA, "Two records have the same id",
        "data/commitments.yaml:5: commitments[1].id: the commitment id \"together\" is already used at "
        "data/commitments.yaml:2. Ids must be unique: give this record a different id.",
        "Pages find records by id, so each id must be used once. Give the new record its own id."),
    BuildMessage(
        "unknown-reference", DATA, "A record refers to an id that does not exist",
        "data/training.yaml:12: courses[0].booking: there is no booking with the id \"bye\". Did you mean "
        "\"buy\"?",
        "Correct the id, usually to the one suggested."),
    BuildMessage(
        "invalid-phone", DATA, "A phone number is not valid in the handbook's country",
        "data/contacts.yaml:14: contacts[0].phones[0].number: \"01302 73411\" (10 digits) is not a valid phone "
        "number in the United Kingdom (GB). Check every digit against the source; numbers there are written like "
        "\"0121 234 5678\".",
        "A digit is missing, extra or wrong. Check it against the service's own published number. The country "
        "is the one `phone_region` names in data/site.yaml."),
    BuildMessage(
        "unknown-phone-region", DATA, "The phone numbers' country is not a code the check knows",
        "data/site.yaml:14: phone_region: \"UK\" is not a country code the handbook can check phone numbers for. "
        "Did you mean \"GB\"? The United Kingdom's code is GB. Write the two-letter code of the country the "
        "handbook's phone numbers are in, in capitals: for example \"GB\" for the United Kingdom or \"IE\" for "
        "Ireland.",
        "`phone_region` in data/site.yaml is the two-letter code of the country the phone numbers are in (ISO "
        "3166, in capitals). Until it is one the check knows, no phone number can be checked."),
    BuildMessage(
        "invalid-email", DATA, "An email address is not valid",
        "data/coordinators.yaml:14: people[0].email: \"a person@partnership.example\" is not a valid email "
        "address: The email address contains invalid characters before the @-sign: SPACE.",
        "Correct the address as the message says."),
    BuildMessage(
        "email-domain-not-allowed", DATA, "An email address is on a domain that is not allowed",
        "data/coordinators.yaml:14: people[0].email: \"a.person@partnershp.example\" is on the domain "
        "\"partnershp.example\", which is not in the allowed list (partnership.example). Did you mean "
        "\"partnership.example\"?",
        "A misspelt domain sends email to the wrong place. Correct it; if the domain is right and new, add it "
        "to allowed_email_domains in data/site.yaml."),
    BuildMessage(
        "non-https-url", DATA, "A web address does not start with https://",
        "data/training.yaml:4: booking[0].url: \"http://buy.partnership.example/training\" must be a web address "
        "that starts with https:// and has no spaces (write a space as %20).",
        "Use the https:// address of the page."),
    BuildMessage(
        "low-contrast-level", DATA, "A level's colour is too dark for the diagram's text",
        "data/thresholds.yaml:7: levels[0].colour.fill: \"#8A1538\" is too dark for the levels of need "
        "diagram's black text (2.1:1, where WCAG AA needs at least 4.5:1). Use a lighter tint of pink.",
        "The diagram writes each level's name in black on its colour, and people with low vision must be able "
        "to read it. Keep the colour the source names, but choose a paler shade of it."),
    BuildMessage(
        "unused-search-words", DATA, "Search words that no page has",
        "data/search.yaml:5: synonyms[0].page_words[0]: no page says \"outside ofice hours\", so the search "
        "words given for it would find nothing. Write the words as a page has them, or remove them.",
        "`page_words` in data/search.yaml must be written exactly as a page has them (spelling, and a plural "
        "where the page has one). Fix the spelling, or remove the record if the pages no longer use the words."),
    BuildMessage(
        "front-matter-typo", PAGES, "A front matter field is misspelt",
        "docs/other.md:6: last_reviwed: `last_reviwed` is not a field the front matter can have. Check the "
        "spelling. Allowed fields: changes, decisions, description, example, hide, last_reviewed, menu_title, "
        "order, owner, pdf, review_due, search, section, title, withdrawn.",
        "Correct the field name."),
    BuildMessage(
        "contents-no-section", PAGES, "A page has no place in the contents",
        "docs/new-chapter.md:1: this page is in no section of the handbook's contents, so no reader can find it "
        "in the menu or the PDF. Give it its place in its front matter: `section:` (one of \"start\") and "
        "`order:` (its place in that section). In the editors' form: Section and Place in the section.",
        "Every page practitioners read is in a section of the contents. In the form, open the page and choose "
        "its Section and its Place in the section; a page only for editors is kept out of the menu by "
        "mkdocs.yml's not_in_nav instead (ask the handbook's maintainers)."),
    BuildMessage(
        "contents-unknown-section", PAGES, "A page names a section that does not exist",
        "docs/other.md:2: section: \"strat\" is not a section of the handbook's contents. Did you mean "
        "\"start\"? The sections are in data/sections.yaml.",
        "Choose one of the sections the form offers, or add the section first under Sections."),
    BuildMessage(
        "contents-same-place", PAGES, "Two pages have the same place in a section",
        "docs/other.md:3: order: place 30 in the section \"Start here\" is taken: docs/levels-of-need.md:3 has it "
        "already. Two pages cannot have the same place: give this one another number.",
        "Give one of the two pages another Place in the section: a number between those of the pages it goes "
        "between (25 between 20 and 30)."),
    BuildMessage(
        "withdrawn-linked", PAGES, "A page links to a withdrawn chapter",
        "docs/other.md:13: the link to \"handbook/old.md\" points to a chapter that was withdrawn on 2026-12-01: "
        "readers would find only the notice that it was withdrawn. Take the link out, or link to the guidance "
        "that applies now.",
        "A withdrawn chapter's address still answers, for people who saved or printed it, but only with a notice. "
        "Change the link on the page named: to the chapter that replaces it (the message names it when its "
        "Replaced by is set), or take the link out."),
    BuildMessage(
        "withdrawn-unknown-replacement", PAGES, "A withdrawn chapter is replaced by a chapter that does not exist",
        "docs/handbook/old.md:6: withdrawn.replaced_by: Replaced by \"nwe\": there is no chapter "
        "docs/handbook/nwe.md. Did you mean \"new\"? Name a chapter by its file name, without .md, or pick it in "
        "the editors' form.",
        "In the form, open the withdrawn chapter and pick the chapter that replaces it under Withdrawn, Replaced "
        "by. A chapter that is itself withdrawn cannot replace another."),
    BuildMessage(
        "contents-same-pdf-name", PAGES, "Two pages would have PDFs of the same name",
        "docs/handbook/other.md:3: order: this page's own PDF would be saved as pdf/other.pdf, the name of the PDF "
        "of docs/other.md. Give one of the two pages another file name (in the editors' form, a new chapter with "
        "another title).",
        "Each page's own PDF is named after its file, whatever its folder. The form refuses such a title for a new "
        "chapter; a file added another way needs another name."),
    BuildMessage(
        "nav-in-mkdocs-yml", PAGES, "mkdocs.yml lists the pages",
        "ERROR   -  mkdocs.yml: `nav:` lists pages, but the handbook's menu comes from data/sections.yaml and "
        "each page's front matter (section and order), so that editors can add and move pages in the form. "
        "Take `nav:` out of mkdocs.yml, and give each page it listed its section and order.",
        "For the handbook's maintainers: the menu is made from the contents, so a list in mkdocs.yml would "
        "say something else. Give each page its section and order, then take `nav:` out."),
    BuildMessage(
        "review-recorded-ahead", PAGES, "A review is recorded before it took place",
        "docs/other.md:3: last_reviewed: last_reviewed (2026-12-01) is after today (2026-11-23). Record a review "
        "on the day it has taken place.",
        "The page would say it was reviewed on a day that has not come yet. Set last_reviewed to the day the "
        "review really took place, or leave it out until then."),
    BuildMessage(
        "raw-phone-in-page", PAGES, "A phone number is typed into a page",
        "docs/index.md:8: the phone number \"01302 734110\" is typed into the page. Numbers must come from "
        "data/contacts.yaml: write {{ phone(\"id\") }} instead (see the phone ids in data/contacts.yaml).",
        "Find the number's id in data/contacts.yaml and write the macro instead, so the page always shows the "
        "number the data holds."),
    BuildMessage(
        "raw-email-in-page", PAGES, "An email address is typed into a page",
        "docs/index.md:8: the email address \"team@partnership.example\" is typed into the page. Addresses must "
        "come from data: write {{ email(\"id\") }} or {{ person(\"id\") }} instead.",
        "Use the macro with the address's id from the data."),
    BuildMessage(
        "unknown-macro-id", PAGES, "A macro names an id that does not exist",
        "docs/index.md:8: {{ phone(\"team-lien\") }} failed: there is no phone with the id \"team-lien\". Did "
        "you mean \"team-line\"?",
        "Correct the id, usually to the one suggested."),
    BuildMessage(
        "macro-wrong-arguments", PAGES, "A macro is given the wrong arguments",
        "docs/index.md:8: {{ phone(\"team-line\", \"extra\") }} failed: wrong arguments (too many positional "
        "arguments). Write it as phone(phone_id).",
        "Write the macro as the message shows."),
    BuildMessage(
        "macro-raises", PAGES, "A macro is given a value of the wrong kind",
        "docs/index.md:8: {{ level(\"one\") }} failed: there is no level 'one'. Levels are numbered 1: write "
        "level(2), with no quotes.",
        "Write the value as the message shows."),
    BuildMessage(
        "undefined-variable", PAGES, "A macro name is misspelt",
        "docs/index.md:8: \"missing_variable\" is not one of the handbook's macros. The editor guide lists them.",
        "Correct the name inside `{{ }}`."),
    BuildMessage(
        "event-handler", PAGES, "HTML in a page has a script",
        "docs/index.md:10: <p> has an event handler (onmouseover=). Scripts are not allowed in pages: remove it.",
        "Pages cannot run scripts. Remove the attribute (onclick=, onmouseover= and the like)."),
    BuildMessage(
        "http-link", PAGES, "A link is not https",
        "docs/index.md:10: \"http://example.com/\" uses the \"http:\" scheme. Links may only be https:, mailto:, "
        "tel:, a #section or a path inside the handbook.",
        "Use the https:// address of the page."),
    BuildMessage(
        "javascript-link", PAGES, "A link runs a script",
        "docs/index.md:10: \"javascript:alert(1)\" uses the \"javascript:\" scheme. Links may only be https:, "
        "mailto:, tel:, a #section or a path inside the handbook.",
        "Remove the link."),
    BuildMessage(
        "pdf-image-file-url", PAGES, "A picture is a file on a computer",
        "docs/index.md:10: \"file:///etc/passwd\" uses the \"file:\" scheme. Links may only be https:, mailto:, "
        "tel:, a #section or a path inside the handbook.",
        "Copy the picture into docs/ and refer to it by its path there."),
    BuildMessage(
        "pdf-attachment-file-url", PAGES, "A link is to a file on a computer",
        "docs/index.md:10: \"file:///etc/os-release\" uses the \"file:\" scheme. Links may only be https:, "
        "mailto:, tel:, a #section or a path inside the handbook.",
        "Copy the document into docs/ and link to it there."),
    BuildMessage(
        "link-outside-site", PAGES, "A link leads out of the handbook's pages",
        "docs/index.md:8: the link to \"../../outside.md\" points to a page that does not exist. Check the file "
        "name.",
        "Link to pages inside docs/ only, by their path from the page you are editing."),
    BuildMessage(
        "missing-image", PAGES, "A picture does not exist",
        "docs/index.md:8: the image \"missing.png\" does not exist. Check the file name, or add the picture "
        "to docs/.",
        "Correct the file name, or add the picture."),
    BuildMessage(
        "pdf-image-without-alt", PAGES, "A picture has no alt text",
        "docs/index.md:10: an image (\"picture.png\") has no alt text. Add a short description: ![What the "
        "picture shows](file.png).",
        "People who cannot see the picture hear or read this description instead."),
    BuildMessage(
        "image-alt-file-name", PAGES, "A picture's alt text is only its file name",
        "docs/index.md:14: the alt text of an image (\"picture.png\") is only \"picture\", which does not say what it "
        "shows. Describe the picture for someone who cannot see it: ![What the picture shows](file.png).",
        "The words in the square brackets are read out, or shown, instead of the picture. Say what it shows, as "
        "you would to a colleague on the phone: \"The four levels of need, from universal to specialist\"."),
    BuildMessage(
        "image-from-another-site", PAGES, "A picture is on another site",
        "docs/index.md:14: the picture \"https://images.example.org/levels.png\" is on another site. Readers "
        "without signal, and the PDF, would not have it, and that site would see who reads the page. Upload the "
        "picture to the handbook (in the editors' form: Media) and show it from there.",
        "Save the picture, upload it under Media in the form, and change the address in the brackets to "
        "../assets/images/ and its file name."),
    BuildMessage(
        "image-svg", PAGES, "A picture is not a PNG, JPEG, GIF or WebP",
        "docs/index.md:14: the picture \"levels.svg\" is not a PNG, JPEG, GIF or WebP file, the kinds a page can "
        "show. Save it as one of those (an SVG, for one, can carry scripts).",
        "Open the picture and save or export it as PNG (a diagram or screenshot) or JPEG (a photo). A picture "
        "over 500 KB stops the build too: save it smaller."),
    BuildMessage(
        "claim-without-record", SITE, "A page states a review, a check, a publisher or an approval with no record",
        "data/glossary.yaml:14: directory/index.html says \"Published by\", which states who published the "
        "handbook, but no record of this build says so. The handbook names its publisher itself once an edition "
        "is published (handbook publish). Remove these words from here.",
        "Remove the words from the data file and line the message names. The handbook says who published it, "
        "when a page was reviewed and when a detail was checked with its service only from a record: a "
        "published edition, review_due or last_reviewed, last_verified."),
    BuildMessage(
        "claim-on-pdf-cover", SITE, "The PDF's cover or footer states a review, a check or a publisher with no record",
        "data/site.yaml:7: pdf/early-help-handbook.pdf (its cover) says \"Published by\", which states who "
        "published the handbook, but no record of this build says so. The handbook names its publisher itself "
        "once an edition is published (handbook publish). Remove these words from here.",
        "The cover, the footers and the quick reference print the publication settings in site.yaml. Take the "
        "words out of the line the message names: the cover names the publisher itself in a published edition."),
    BuildMessage(
        "missing-anchor", SITE, "A link points to a section a page does not have",
        "site/index.html:326: \"other/#no-such-section\": the page has no section with the id "
        "\"no-such-section\".",
        "Found in the built page when the section's page is made by macros, so the line is the built page's: "
        "find the link in the page named (here docs/index.md) and correct the part after #."),
    BuildMessage(
        "pdf-path-outside-site", PDF, "The PDF would read a file outside the handbook",
        "ERROR   -  The PDF cannot be built: pdf/early-help-handbook.pdf (part 1) refers to \"file:///etc/passwd\", "
        "which is outside the built site. The PDF may only use files inside the site: copy the file into "
        "docs/ and link to it there.",
        "A picture or link in HTML points above the docs/ folder. Copy the file into docs/ and use its path "
        "there."),
    BuildMessage(
        "pdf-duplicate-id", PDF, "Two sections of the PDF have the same id",
        "docs/other.md:1: the id \"other--locality-north\" is used twice in the PDF.",
        "A page shows the same thing twice, for example the coordinators of a locality from two macros. Show "
        "it once."),
    BuildMessage(
        "quick-reference-overflow", PDF, "The quick reference does not fit on one page",
        "data/site.yaml:16: the quick reference does not fit on one A4 page: it takes 5 pages, so "
        "pdf/quick-reference.pdf cannot be made. Print less on it: fewer contacts or timeframes under "
        "quick_reference here, or a shorter short_response for a level in data/thresholds.yaml.",
        "The quick reference is printed on one sheet of A4, so what it holds must fit there. Usually a "
        "level's `short_response` has grown, or a contact or timeframe was added to `quick_reference`. "
        "Cut the text back to the essentials: the full text stays in the handbook."),
    BuildMessage(
        "publish:test_publishing_an_existing_edition_fails_and_changes_nothing", PUBLISHING,
        "The edition is already published",
        "edition 2026.1 is already published, and a published edition never changes. Publish the changes as a "
        "new edition, for example 2026.3.",
        "Use the id the message suggests."),
    BuildMessage(
        "publish:test_uncommitted_changes_are_refused", PUBLISHING, "There are changes that are not committed",
        "there are changes that are not committed. An edition must be a commit, so that it can always be traced "
        "back to its source: commit the changes (or set them aside) first.",
        "Publish from an up-to-date copy of main with no changes of your own."),
    BuildMessage(
        "publish:test_overdue_reviews_block_publishing", PUBLISHING, "A review is overdue",
        "docs/handbook/consent.md:4: the page \"Consent, refusal and competence\" was due for review by "
        "2027-11-23. Review it, then update its date.",
        "An edition cannot be published while a page or record is overdue for review. Review it, update its "
        "date in a pull request, then publish."),
    BuildMessage(
        "publish:test_example_records_block_publishing", PUBLISHING, "An example is still in the handbook",
        "data/commitments.yaml:8: \"never-do-nothing\" in commitments is an example that `handbook new` wrote. "
        "Replace it with your partnership's own, then delete `example: true`.",
        "A handbook made with `handbook new` starts with example records and pages, so that it builds. An edition "
        "cannot be published while one remains: replace each with your partnership's own, then publish."),
    BuildMessage(
        "publish:test_a_page_of_the_last_edition_gone_without_a_record_blocks_publishing", PUBLISHING,
        "A page of the last edition has been deleted",
        "docs/handbook/introduction.md:1: this page was in edition 2026.2 and its file has gone, so its address "
        "would stop answering for everyone who saved, printed or emailed it. Put the file back and mark it "
        "withdrawn (in the editors' form: Withdrawn, with the date and, if its guidance has moved, Replaced by).",
        "A page readers have had is never deleted: its address must keep answering. Ask whoever deleted it to "
        "restore the file, then withdraw it in the form, which says when and where its guidance went."),
    BuildMessage(
        "publish:test_a_failing_build_publishes_nothing", PUBLISHING, "The build failed",
        "the build failed, so nothing was published:",
        "The lines after it are the build's own messages, explained above. Fix them in a pull request first."),
)
