"""What every layer uses: problems as values, escaping by output context, the one fork pool."""
