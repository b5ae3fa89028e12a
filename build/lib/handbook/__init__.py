"""Doncaster Early Help Practice Handbook: data loading, validation and rendering.

The pipeline is data/*.yaml -> validated typed records (`handbook.data`) -> render functions
(`handbook.render`) -> mkdocs-macros (`macros/`) and, later, the PDF. Nothing here imports MkDocs
except `handbook.mkdocs_plugin`, so every other module can be tested and reused on its own.
"""
