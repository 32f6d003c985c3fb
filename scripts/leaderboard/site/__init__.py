"""The site: page generation behind a thin MkDocs hook; front-end assets live under ``docs/``."""
