"""The MkDocs plugin: thin wiring from MkDocs' events to the stages, one module per concern."""

from handbook.plugin.plugin import HandbookPlugin

__all__ = ["HandbookPlugin"]
