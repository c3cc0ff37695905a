"""The site: every page as Markdown text keyed by its source path, from the knowledge base.

Each page type is one view (:mod:`generator.site.views`), rendered by an autoescaped
Jinja2 template (``templates/``, overridable by a site in ``overrides/kb/``). Any
static-site engine that reads Markdown can publish the result; ``hooks/`` hands it to MkDocs.
"""
