"""Haven: a static-site generator for a multilingual, private guide to victim support.

Data flows one way: YAML records (``haven.records``) → pages per language (``haven.site``)
→ the MkDocs site, PDF pamphlets (``haven.pamphlets``) and open-data exports
(``haven.exports``).
"""

__version__ = "0.1.0"
