"""From validated records and prose to the Markdown pages MkDocs builds, per language."""
