"""What an entry can hold: fields, vocabularies, facets, facts, tables, registries, settings, site info."""
