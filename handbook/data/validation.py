"""Validate the handbook's data files: JSON Schema first, then the rules a schema cannot express.

Every problem becomes a Finding that names file:line, the field, and how to fix it, in words an
editor who is not a programmer can act on. All findings are collected before anything stops, so an
editor sees every mistake in one run rather than one per build.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from importlib.resources import files
from pathlib import Path

import jsonschema
from email_validator import EmailNotValidError, validate_email
from referencing import Registry, Resource

from handbook.data.phones import phone_message, region_message
from handbook.data.rules import cross_record_findings
from handbook.data.yaml_format import FileLayout
from handbook.data.yaml_source import LoadedFile, YamlSourceError, describe_guess, load_yaml
from handbook.findings import Finding, field_path

# Each data file and the schema that governs it. A test checks that every file in data/ is here
# and every schema in data/schema/ is used, so a new file cannot skip validation.
DATA_FILES: dict[str, str] = {
    "contacts": "contacts.yaml",
    "coordinators": "coordinators.yaml",
    "thresholds": "thresholds.yaml",
    "training": "training.yaml",
    "timeframes": "timeframes.yaml",
    "family_outcomes": "family_outcomes.yaml",
    "commitments": "commitments.yaml",
    "glossary": "glossary.yaml",
    "site": "site.yaml",
    "search": "search.yaml",
    "sections": "sections.yaml",
}
SHARED_SCHEMAS = ("common",)

# The formats the schemas use. Each raises with the message an editor will read. A phone number's
# format depends on the project's phone_region: format_checker(region) adds it.
FORMATS = jsonschema.FormatChecker(formats=())
PHONE_FORMAT = "phone"


@FORMATS.checks("phone-region", raises=ValueError)
def _check_phone_region(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type check reports it
    message = region_message(value)
    if message:
        raise ValueError(message)
    return True


@FORMATS.checks("email", raises=ValueError)
def _check_email(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        # Never look the domain up: there may be no network, and deliverability is the service's
        # job. The allowed-domains list in site.yaml catches misspelt domains instead.
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as err:
        raise ValueError(f'"{value}" is not a valid email address: {err}') from None
    return True


@FORMATS.checks("https-url", raises=ValueError)
def _check_https(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not value.startswith("https://") or len(value) <= len("https://") or any(c.isspace() for c in value):
        raise ValueError(
            f'"{value}" must be a web address that starts with https:// and has no spaces '
            "(write a space as %20)."
        )
    return True


# Only YYYY-MM-DD, as the schemas say: date.fromisoformat alone also takes 20261123 and 2026-W48-1.
# [0-9] and fullmatch rather than \d and $, which in Python also take other scripts' digits and a
# trailing newline: the editors' form (handbook/editors/assets/checks.js) checks the same pattern.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@FORMATS.checks("date", raises=ValueError)
def _check_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f'"{value}" is not a date. Write dates as "YYYY-MM-DD", for example "2026-11-23".') from None
    return True


def format_checker(region: str | None) -> jsonschema.FormatChecker:
    """Every format, with phone numbers checked for `region` (a phone_region value). With no region
    that can be used (site.yaml reports why), numbers are not checked."""
    checker = jsonschema.FormatChecker(formats=())
    checker.checkers = dict(FORMATS.checkers)

    @checker.checks(PHONE_FORMAT, raises=ValueError)
    def _check_phone(value: object) -> bool:
        if not isinstance(value, str) or region is None:
            return True  # the type check, or site.yaml's phone_region, reports it
        message = phone_message(value, region)
        if message:
            raise ValueError(message)
        return True

    return checker


KNOWN_FORMATS = frozenset(format_checker(None).checkers)


# The data files' schemas are the engine's: its typed records read what they define.
ENGINE_SCHEMAS = Path(str(files("handbook.data").joinpath("schemas")))


def schema_dir(data_dir: Path) -> Path:
    """Where a project's data files' schemas are: its own copies in data/schema/ (which `handbook
    new` writes, so that editors' tools find the schema each file's first line names) when it has
    them, else the engine's."""
    own = Path(data_dir) / "schema"
    return own if own.is_dir() else ENGINE_SCHEMAS


def layouts(data_dir: Path) -> dict[str, FileLayout]:
    """Each data file's layout (yaml_format), by name as in DATA_FILES."""
    schemas, registry = _schema_registry(schema_dir(data_dir))
    return {name: FileLayout(name, schemas[name], registry) for name in DATA_FILES}


def _schema_registry(schema_dir: Path) -> tuple[dict[str, dict], Registry]:
    schemas: dict[str, dict] = {}
    registry = Registry()
    for name in [*DATA_FILES, *SHARED_SCHEMAS]:
        path = schema_dir / f"{name}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[name] = schema
        registry = registry.with_resource(f"{name}.schema.json", Resource.from_contents(schema))
    return schemas, registry


_TYPE_WORDS = {"string": "text in double quotes", "array": "a list", "object": "a record of fields",
               "integer": "a whole number", "boolean": "true or false", "number": "a number"}


def plain_message(error: jsonschema.ValidationError, loaded: LoadedFile) -> str:
    location = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "type":
        origin = loaded.source.scalars.get(location)
        if origin is not None:
            guess = describe_guess(origin, error.instance)
            if guess:
                return guess
        wanted = error.validator_value
        wanted_words = " or ".join(_TYPE_WORDS.get(w, w) for w in ([wanted] if isinstance(wanted, str) else wanted))
        return f"this should be {wanted_words}."
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"the field `{missing}` is missing. Add it to this record."
    if keyword == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        return (
            f"`{', '.join(extras)}` is not a field this record can have. Check the spelling. "
            f"Allowed fields: {', '.join(allowed)}."
        )
    if keyword == "format":
        return str(error.cause) if error.cause else f"{error.instance!r} is not a valid {error.validator_value}."
    if keyword == "pattern":
        description = error.schema.get("description", "")
        return f'"{error.instance}" is not written correctly. {description}'.strip()
    if keyword == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        return f'"{error.instance}" is not allowed here. Use one of: {options}.'
    if keyword == "dependentRequired":
        needed, needing = re.findall(r"'([^']+)'", error.message)[:2] or ["", ""]
        return f"`{needing}` needs `{needed}` beside it. Add `{needed}`, or take `{needing}` out too."
    if keyword in {"minItems", "minLength"}:
        return "this must not be empty."
    if keyword == "uniqueItems":
        return "this list has the same value twice. Remove the repeat."
    if keyword in {"minimum", "maximum"}:
        return f"{error.instance} is out of range: {error.message}."
    return error.message


def _schema_findings(loaded: LoadedFile, schema: dict, registry: Registry,
                     formats: jsonschema.FormatChecker) -> tuple[list[Finding], frozenset]:
    """What the schema finds wrong, and where: the paths of the values it rejected, for the
    cross-record rules to leave alone. A missing or unknown field is placed at its own name, so that
    the rest of its record (its id above all) still counts."""
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, registry=registry, format_checker=formats)
    findings, paths = [], set()
    for error in validator.iter_errors(loaded.data):
        location = tuple(error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            paths.update(location + (field,) for field in error.validator_value if field not in error.instance)
        else:
            paths.add(location)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the unknown key itself, not the start of its record.
            extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            paths.discard(location)
            paths.update(location + (extra,) for extra in extras)
            location = location + (extras[0],) if extras else location
        findings.append(
            Finding(loaded.display_path, loaded.line(location), plain_message(error, loaded), field_path(location))
        )
    return findings, frozenset(paths)


def usable_region(site: object) -> str | None:
    """site.yaml's phone_region (its loaded data), when it is one the checks can use."""
    region = site.get("phone_region") if isinstance(site, dict) else None
    return region if isinstance(region, str) and region_message(region) is None else None


def phone_region(data_dir: Path) -> str | None:
    """The project's phone_region, read from data/site.yaml on its own, or None when the file or the
    setting cannot be used (the data check says why): for the checks and the editors' form, which
    run even when other data is wrong."""
    try:
        site, _ = load_yaml(Path(data_dir) / DATA_FILES["site"], DATA_FILES["site"])
    except YamlSourceError:
        return None
    return usable_region(site)


def _formats_in(node: object):
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            yield node["format"]
        for value in node.values():
            yield from _formats_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from _formats_in(value)


def _unknown_formats(folder: Path, display_root: Path) -> list[Finding]:
    """A format no check here knows, in a project's copy of the schemas, would leave its values
    unchecked without a word (JSON Schema ignores formats it does not know): an old copy after an
    engine upgrade, such as the "uk-phone" of engines before phone_region."""
    found = []
    for name in [*DATA_FILES, *SHARED_SCHEMAS]:
        path = folder / f"{name}.schema.json"
        text = path.read_text(encoding="utf-8")
        try:
            shown = str(path.relative_to(display_root))
        except ValueError:
            shown = str(path)
        for fmt in dict.fromkeys(_formats_in(json.loads(text))):
            if fmt in KNOWN_FORMATS:
                continue
            line = next((n for n, line in enumerate(text.splitlines(), start=1) if f'"{fmt}"' in line), 1)
            found.append(Finding(shown, line, f'the format "{fmt}" is not one this version of the handbook engine '
                                 "checks, so values with it would not be checked at all. This copy of the schemas is "
                                 "older than the engine: run `handbook new --schemas-only .` to bring it up to date."))
    return found


def load_and_validate(data_dir: Path, display_root: Path | None = None) -> tuple[dict[str, LoadedFile], list[Finding]]:
    """Load every data file and return them with all findings (schema and cross-record rules).

    Every finding comes out of one run: the cross-record rules run whatever the schemas found,
    on every value that is sound (rules._Sound), so that fixing one mistake never reveals another
    that was there all along. Only the files without findings are returned. Phone numbers are
    checked for site.yaml's phone_region, so every file is read before any is validated."""
    display_root = display_root or data_dir.parent
    folder = schema_dir(data_dir)
    schemas, registry = _schema_registry(folder)
    files: dict[str, LoadedFile] = {}
    readable: dict[str, LoadedFile] = {}
    errors: dict[str, frozenset] = {}
    findings: list[Finding] = _unknown_formats(folder, display_root)
    for name, filename in DATA_FILES.items():
        path = data_dir / filename
        try:
            shown = str(path.relative_to(display_root))
        except ValueError:
            shown = str(path)
        try:
            data, source = load_yaml(path, shown)
        except YamlSourceError as err:
            findings.append(Finding(err.path, err.line, err.message))
            continue
        readable[name] = LoadedFile(name, shown, data, source)
    formats = format_checker(usable_region(readable["site"].data) if "site" in readable else None)
    for name, loaded in readable.items():
        schema_findings, errors[name] = _schema_findings(loaded, schemas[name], registry, formats)
        findings.extend(schema_findings)
        if not schema_findings:
            files[name] = loaded
    findings.extend(cross_record_findings(readable, errors, names=tuple(DATA_FILES)))
    return files, findings
