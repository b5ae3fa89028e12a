"""The kinds of finding `handbook check` makes, each with its severity and what an editor should do
about it: the checks use them, and the editor guide lists them (render.check_list) from here, so the
guide cannot fall behind the checks. Kept apart from the checks themselves, which use the data and
render layers, so that rendering the list needs neither."""

from __future__ import annotations

ERROR, WARNING = "error", "warning"
# A sentence longer than this is hard to follow on a phone (the long-sentence check).
LONG_SENTENCE_WORDS = 35

# Every check with its severity and what an editor should do, for the editor guide.
CHECKS = {
    "data": (ERROR, "A data file does not match its schema, repeats an id, refers to an id that does not exist or "
                    "uses an email domain that is not allowed. The message names the field and how to write it."),
    "data-layout": (ERROR, "A data file, or a page's front matter, is not in the handbook's layout (each text in "
                           "double quotes on one line, fields in the schema's order, two spaces deep), so the next "
                           "change to it would touch lines it does not change. Run `handbook format`; the editors' "
                           "form writes this layout itself."),
    "macro-call": (ERROR, "A page calls a macro that cannot work: an id that is not in the data, the wrong "
                          "arguments, a macro name that is misspelt, or `{{` without its `}}`. The message names the "
                          "call and, for a mistyped id or name, the nearest ones."),
    "front-matter": (ERROR, "A page's front matter (between two lines of --- at the top) cannot be read or has a "
                            "field that is wrong. Every field is optional: owner once a team has agreed to own the "
                            "page, review_due once a review is planned, last_reviewed once one has taken place "
                            "(never ahead of it)."),
    "review-due": (WARNING, "A page is past its review_due date, or a record checked with its service is due for "
                            "checking again (review.cycle_months in data/site.yaml). Check it, then update the date."),
    "unsupported-claim": (ERROR, "A page states that the handbook was reviewed, checked with a service, published or "
                                 "approved, or that every change is reviewed, in its own words. The handbook says "
                                 "these things only from a record, and writes them itself: remove the words, or "
                                 "record it (review_due, last_reviewed, last_verified, `handbook publish`)."),
    "example-record": (WARNING, "A record or page is one of the examples `handbook new` wrote. Replace it with "
                                "your partnership's own and delete `example: true`: an edition cannot be "
                                "published while an example remains."),
    "schema-copy": (WARNING, "A schema in data/schema/ is not the engine's: after an engine upgrade, the copies "
                             "`handbook new` made still hold the old rules, and the checks and the editors' form "
                             "follow them. Run `handbook new --schemas-only .`, then `handbook format`."),
    "unused-record": (WARNING, "A data record is not shown on any page, so readers never see it and nobody "
                               "notices when it goes wrong. Show it on the page it belongs to with a macro, or "
                               "remove it."),
    "typed-contact": (ERROR, "A phone number or email address is typed into a page. Use the phone() or email() "
                             "macro, so the number comes from the data and stays right everywhere."),
    "internal-link": (ERROR, "A link points to a page or picture that does not exist, or to a heading the page "
                             "does not have; or a picture is from another site, not a PNG, JPEG, GIF or WebP, or "
                             "over 500 KB. Correct the file name or the part after #; upload the picture to the "
                             "handbook, as one of those kinds, small enough."),
    "unsafe-html": (ERROR, "A link is not https:, mailto:, tel:, a #section or a page of the handbook (an http: "
                           "or javascript: link), or HTML in the page has a script (onclick= and the like). "
                           "Use the https:// address; remove the script."),
    "image-alt": (ERROR, "An image has no alt text, or only its file name. Describe the picture inside the "
                         "square brackets: ![What the picture shows](picture.png)."),
    "heading-level": (WARNING, "A heading skips a level (## followed by ####). Screen reader users navigate by "
                               "heading levels: use the next level down."),
    "long-sentence": (WARNING, f"A sentence is longer than {LONG_SENTENCE_WORDS} words. Split it: practitioners "
                               "often read on a phone, mid-visit."),
    "undefined-abbreviation": (WARNING, "An abbreviation is used that the glossary does not define. Add it to "
                                        "data/glossary.yaml, or write it out in full on the page with the "
                                        "abbreviation after it in brackets: Team Around the Family (TAF)."),
    "spelling": (WARNING, "A word looks misspelt. Correct it, or if it is right (a name, an abbreviation), add it "
                          "to data/allowed-spellings.txt, one word a line, in lower case."),
}
