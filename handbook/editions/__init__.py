"""Editions: which edition a build is (`edition`), publishing with mike (`publish`), what is on the
editions branch (`published`), amendments from git (`amendments`), the Atom feed (`feed`), change
summaries for reviewers (`changes`), and git itself (`git`).
"""
