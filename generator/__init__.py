"""Packages by concern, lowest layer first: core, source, model, kinds, validation, knowledge, search, outputs, site, contribute."""
