"""A practice-handbook generator: Markdown chapters and YAML data built into a website and PDFs.

The engine is laid out by stage, each a subpackage, in the order a build runs them:

- `data`: strict YAML loading, JSON Schema validation, the rules across records, typed records;
- `rendering`: render functions over typed records, their markup partials, and how pages call them;
- `checks`: `handbook check`'s checks of pages, data and the built site;
- `web`: what only the website has: the offline copy, the search additions, theme markup;
- `pdf`: the print HTML and WeasyPrint;
- `editions`: publishing editions, amendments from git, the feed;
- `editors`: the editors' form in the browser;
- `cli`: the `handbook` command, and `handbook new`;
- `plugin`: the MkDocs plugin, thin wiring from MkDocs' events to the stages.

Shared by all: `findings` (a problem as file:line: message), `project` (a project's mkdocs.yml
settings), `cache` (the folder of results a rebuild reuses) and `parallel` (pure work shared out
among processes, one per core).

Nothing here names a partnership: everything particular to one comes from its project's data and
mkdocs.yml. Only `plugin` imports MkDocs, so every other module can be tested and reused alone.
"""
