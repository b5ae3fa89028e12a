"""What only the website has: the offline copy (`service_worker`), the search additions
(`search_index`, `search_worker`), Material's markup made accessible (`theme_markup`), and the
browser scripts they install (`assets/`).
"""
