"""triage: sort captured reading into an Obsidian vault.

Importing this package is cheap on purpose: spaCy is imported only when a run has work to do.
"""

__version__ = "0.1.0"
