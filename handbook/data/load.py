"""Load data/*.yaml into a validated Handbook, or fail with every problem listed as file:line."""

from __future__ import annotations

from pathlib import Path

from handbook.data.decisions import MARKED_KINDS, Decision
from handbook.data.records import (
    Booking,
    Confirmation,
    Contact,
    ContentsSection,
    Course,
    Email,
    Example,
    Handbook,
    Level,
    Locality,
    Person,
    Phone,
    Publication,
    QuickReference,
    Role,
    SearchSynonym,
    Term,
    Timeframe,
    Topic,
    Urgent,
    UrgentLine,
    Verification,
)
from handbook.data.reviews import ReviewPolicy, record_reviews
from handbook.data.validation import DATA_FILES, load_and_validate, schema_dir
from handbook.data.yaml_source import LoadedFile
from handbook.findings import HandbookError

# Where each kind of record comes from: (data file, the list in it). Phones and emails belong to
# their contact's record.
RECORD_SOURCES = {
    Topic: ("contacts", "topics"),
    Contact: ("contacts", "contacts"),
    Role: ("coordinators", "roles"),
    Locality: ("coordinators", "localities"),
    Person: ("coordinators", "people"),
    Level: ("thresholds", "levels"),
    Booking: ("training", "booking"),
    Course: ("training", "courses"),
    Timeframe: ("timeframes", "timeframes"),
    Term: ("glossary", "terms"),
}
# Lists the Handbook keeps as plain text, by attribute: (data file, the list in it).
TEXT_LISTS = {"outcomes": ("family_outcomes", "outcomes"), "commitments": ("commitments", "commitments")}


def _verification(record: dict) -> Verification:
    return Verification(
        owner=record["owner"], last_verified=record.get("last_verified", ""), source=record["source"],
        note=record.get("note", ""), needs_confirmation=record.get("needs_confirmation", ""),
    )


def _records(files: dict[str, LoadedFile]):
    """Each settings block and each record of a top-level list, in file order, as (file, the block's
    or list's name, the path to the record, the record)."""
    for loaded in files.values():
        for key, value in loaded.data.items():
            if isinstance(value, dict):
                yield loaded, key, (key,), value
            elif isinstance(value, list):
                yield from ((loaded, key, (key, i), record) for i, record in enumerate(value)
                            if isinstance(record, dict))


def _confirmations(files: dict[str, LoadedFile]) -> tuple[Confirmation, ...]:
    found = []
    for loaded, key, path, record in _records(files):
        if record.get("needs_confirmation"):
            # A settings block is named by its key, at the line of the field; a record by its id.
            block = len(path) == 1
            where = f"{loaded.display_path}:{loaded.line(path + ('needs_confirmation',) if block else path)}"
            found.append(Confirmation(where, key if block else record.get("id", ""), record["needs_confirmation"]))
    return tuple(found)


def _decisions(files: dict[str, LoadedFile]) -> tuple[Decision, ...]:
    """Every decision recorded beside the data, in file order."""
    return tuple(
        Decision(d["kind"], f'{record.get("id", key)} in {loaded.name}.yaml', d["field"], tuple(d["sources_say"]),
                 d["used"], d["reason"], f"{loaded.display_path}:{loaded.line(path + ('decisions', j))}",
                 awaiting=record.get("needs_confirmation", ""))
        for loaded, key, path, record in _records(files) for j, d in enumerate(record.get("decisions", [])))


def _unconfirmed(record: dict) -> tuple[str, ...]:
    if not record.get("needs_confirmation"):
        return ()
    return tuple(d["field"] for d in record.get("decisions", []) if d["kind"] in MARKED_KINDS)


def _examples(files: dict[str, LoadedFile]) -> tuple[Example, ...]:
    """Every record (or settings block) marked `example: true`, in file order."""
    return tuple(Example(f"{loaded.display_path}:{loaded.line(path)}", key,
                         str(record.get("id") or record.get("title") or key))
                 for loaded, key, path, record in _records(files) if record.get("example") is True)


def _build(files: dict[str, LoadedFile]) -> Handbook:
    contacts_doc = files["contacts"].data
    region = files["site"].data["phone_region"]
    contacts = tuple(
        Contact(
            id=c["id"], name=c["name"], purpose=c["purpose"], topics=tuple(c["topics"]),
            hours=c.get("hours", ""), locality=c.get("locality", ""),
            phones=tuple(Phone(p["id"], p["label"], p["number"], region, p.get("hours", ""),
                               p.get("kind") == "emergency") for p in c.get("phones", [])),
            emails=tuple(Email(e["id"], e["label"], e["address"]) for e in c.get("emails", [])),
            verification=_verification(c),
        )
        for c in contacts_doc["contacts"]
    )
    coordinators = files["coordinators"].data
    training = files["training"].data
    site = files["site"].data
    phones = {p.id: (p, p.hours or c.hours) for c in contacts for p in c.phones}
    policy = ReviewPolicy(site["review"].get("cycle_months"), site["review"]["due_soon_days"])
    return Handbook(
        topics=tuple(Topic(t["id"], t["name"]) for t in contacts_doc["topics"]),
        contacts=contacts,
        roles=tuple(Role(r["id"], r["name"]) for r in coordinators["roles"]),
        localities=tuple(Locality(loc["id"], loc["name"], loc.get("team", ""))
                         for loc in coordinators["localities"]),
        people=tuple(Person(p["id"], p["name"], p["role"], p["locality"], p["email"], _verification(p),
                            _unconfirmed(p))
                     for p in coordinators["people"]),
        levels=tuple(sorted(
            (Level(lv["id"], lv["number"], lv["name"], lv["colour"].get("name", ""), lv["colour"]["fill"],
                   lv["descriptor"], lv["response"], lv["short_response"], tuple(lv["contacts"]), lv.get("note", ""),
                   lv.get("needs_confirmation", ""), lv.get("early_help", False))
             for lv in files["thresholds"].data["levels"]),
            key=lambda level: level.number)),
        bookings=tuple(Booking(b["id"], b["name"], b["url"], b.get("register_contact", ""))
                       for b in training["booking"]),
        courses=tuple(Course(c["id"], c["title"], tuple(c.get("other_names", [])), c["provider"], c["audience"],
                             c["summary"], c["booking"], tuple(c["listed_in"])) for c in training["courses"]),
        timeframes=tuple(Timeframe(t["id"], t["task"], t["when"], t["starts"])
                         for t in files["timeframes"].data["timeframes"]),
        outcomes=tuple(o["title"] for o in files["family_outcomes"].data["outcomes"]),
        commitments=tuple(c["text"] for c in files["commitments"].data["commitments"]),
        terms=tuple(Term(t["id"], t["term"], t["definition"], t.get("abbreviation", ""))
                    for t in files["glossary"].data["terms"]),
        urgent=Urgent(site["urgent"]["heading"], site["urgent"]["intro"],
                      tuple(UrgentLine(line["label"], *phones[line["phone"]]) for line in site["urgent"]["lines"]),
                      site["urgent"]["footer"]),
        quick_reference=QuickReference(
            tuple(site["quick_reference"]["contacts"]), tuple(site["quick_reference"]["timeframes"]),
            files["site"].display_path, files["site"].line(("quick_reference",))),
        publication=Publication(**{**{k: v for k, v in site["publication"].items() if k not in ("note", "example")},
                                      "cover_contacts": tuple(site["publication"]["cover_contacts"])}),
        confirmations=_confirmations(files),
        decisions=_decisions(files),
        sources=tuple((s["id"], s["title"]) for s in site.get("sources", [])),
        examples=_examples(files),
        review_policy=policy,
        phone_region=region,
        record_reviews=record_reviews(files, policy),
        team_label=coordinators.get("team_label", ""),
        allowed_capitals=tuple(site.get("checks", {}).get("allowed_capitals", [])),
        synonyms=_synonyms(files["search"]),
        sections=_sections(files["sections"]),
    )


def _sections(loaded: LoadedFile) -> tuple[ContentsSection, ...]:
    return tuple(ContentsSection(s["id"], s["title"], s.get("grouped", True),
                                 f'{loaded.display_path}:{loaded.line(("sections", i, "id"))}')
                 for i, s in enumerate(loaded.data["sections"]))


def _synonyms(loaded: LoadedFile) -> tuple[SearchSynonym, ...]:
    return tuple(
        SearchSynonym(s["id"], tuple(s["page_words"]), tuple(s["typed_words"]), loaded.display_path, i,
                      tuple(loaded.line(("synonyms", i, "page_words", j)) for j in range(len(s["page_words"]))))
        for i, s in enumerate(loaded.data["synonyms"])
    )


_cache: dict[Path, tuple[tuple, Handbook]] = {}


def load_handbook(data_dir: Path, display_root: Path | None = None) -> Handbook:
    """The validated handbook data. Raises HandbookError listing every problem.

    Cached on the files' modification times, so `mkdocs serve` reloads edited data while one build
    (macros, plugin and, later, the PDF) validates the files only once.
    """
    data_dir = Path(data_dir).resolve()
    display_root = Path(display_root).resolve() if display_root else None
    watched = [data_dir / f for f in DATA_FILES.values()] + sorted(schema_dir(data_dir).glob("*.json"))
    stamp = tuple((str(p), p.stat().st_mtime_ns if p.exists() else None) for p in watched)
    cached = _cache.get(data_dir)
    if cached and cached[0] == stamp:
        return cached[1]
    files, findings = load_and_validate(data_dir, display_root)
    if findings:
        raise HandbookError(findings)
    handbook = _build(files)
    _cache[data_dir] = (stamp, handbook)
    return handbook
