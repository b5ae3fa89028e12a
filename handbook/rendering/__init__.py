"""Render functions over typed records (`render`), their markup partials (`templates/`), and how
pages call them as macros (`macro_calls`). Shared by the site and the PDF.
"""
