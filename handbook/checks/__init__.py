"""The checks of `handbook check` and the build: pages' Markdown and HTML (`content`), the built
site (`site`), which records pages show (`usage`), the kinds of finding with their advice (`kinds`),
and every message that stops a build (`build_messages`). `check` runs them all.
"""
