"""Decisions: where the handbook corrects one of its sources, or chooses between sources that
disagree. Each is recorded beside what it decides (`decisions` in a data record, or in a page's
front matter), with what every source says and why, so that editors can see them all on one page
(Document control) and practitioners see a corrected detail marked until the service confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass

# A correction, or a fact read only indirectly from a source: practitioners see it marked until the
# service confirms it. A choice between sources is the service's own words in one of them, so it is
# listed for editors but not marked.
MARKED_KINDS = ("correction", "reading")


@dataclass(frozen=True)
class Decision:
    """Where a record or a page corrects a source, or chooses between sources that disagree
    (`decisions` in a data record or a page's front matter). For editors: the Decisions list."""

    kind: str  # "correction", "choice" or "reading"
    subject: str  # what it is about, for editors: 'ashleigh-chappell in coordinators.yaml'
    about: str  # the record's field (email), or the page's passage
    sources_say: tuple[str, ...]
    used: str
    reason: str
    where: str  # file:line
    awaiting: str = ""  # the record's needs_confirmation: what the service has still to confirm
    src_uri: str = ""  # a page's decision: the page, for a link
