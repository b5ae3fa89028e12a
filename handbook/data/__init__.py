"""The data stage: strict YAML loading with lines (`yaml_source`), the one layout (`yaml_format`),
JSON Schema validation (`validation`), the rules across records (`rules`, `phones`, `colours`),
review dates (`reviews`), and the typed records pages are made from (`records`, loaded by `load`).
"""
