"""The Atom feed of amendments (amendments.xml), so readers can subscribe to new editions.

One entry per published edition, newest first, listing its amendments. Dates are the editions'
own, never the build time, so two builds of one commit give the same feed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator
from markupsafe import escape

from handbook.data.records import Publication
from handbook.editions.amendments import EditionAmendments

FEED_FILE = "amendments.xml"


def _when(iso_date: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(iso_date), dt.time(), tzinfo=dt.UTC)


def amendments_feed(history: list[EditionAmendments], publication: Publication, site_url: str) -> bytes:
    """`site_url` is where this site is published, if known; else entries link to the live handbook."""
    published = [edition for edition in history if edition.edition]
    page = urljoin(site_url if site_url.endswith("/") else site_url + "/", "amendments/") if site_url else ""
    # Ids that stay the same from build to build without claiming a domain: a tag: URI says its
    # domain's owner minted it, and no record says the live site's owner has.
    base = f"{publication.live_url} {publication.title}"
    feed = FeedGenerator()
    feed.id(uuid.uuid5(uuid.NAMESPACE_URL, f"{base} amendments").urn)
    feed.title(f"{publication.title}: amendments")
    if published:
        # Atom needs an author once the feed has entries. Only a published edition is a record
        # that the organisation publishes the handbook; a working copy's feed has no entries.
        feed.author({"name": publication.organisation})
    feed.link(href=page or publication.live_url, rel="alternate")
    feed.language("en-GB")
    feed.subtitle("Each new edition of the handbook and what changed in it.")
    # An empty feed still needs a date: the newest edition's, or the build's edition date.
    feed.updated(_when(published[0].date if published else history[0].date))
    for edition in reversed(published):  # feedgen puts the last added entry first
        entry = feed.add_entry()
        entry.id(uuid.uuid5(uuid.NAMESPACE_URL, f"{base} edition {edition.edition}").urn)
        entry.title(f"Edition {edition.edition}")
        entry.link(href=f"{page}#edition-{edition.edition.replace('.', '-')}" if page else publication.live_url)
        entry.updated(_when(edition.date))
        entry.published(_when(edition.date))
        items = [f"<li>{escape(item.text)}{'. ' + escape(item.note) if item.note else ''}</li>"
                 for item in edition.items]
        since = f"Changes since edition {escape(edition.since)}." if edition.since else "The first published edition."
        entry.content(f"<p>{since}</p>" + (f"<ul>{''.join(items)}</ul>" if items else ""), type="html")
    return feed.atom_str(pretty=True)
