"""The `handbook` command (`main`) and the generator of new projects (`new`).
"""
