"""The print-ready PDF handbook, made from the same rendered page HTML as the website.

pages captured during the MkDocs build (`PrintPage`) -> a book of parts and chapters (`book`) ->
one print HTML document with a lean print stylesheet of our own (`assemble`) -> WeasyPrint with a
fetcher that can read only the built site (`fetcher`, `writer`). Material's CSS is never given to
WeasyPrint: it is slow there and breaks the layout.
"""
