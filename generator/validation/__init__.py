"""Files -> entries or problems: the content tree, fields, body, links, cross-checks, messages, reports."""
