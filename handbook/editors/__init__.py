"""The editors' form in the browser (Decap CMS at admin/): its configuration from the schemas
(`cms_config`), Decap's files (`decap`), and writing the form into a site (`admin`).
"""
