"""Reading source files: text files safely, positions, strict YAML, hints, front matter."""
