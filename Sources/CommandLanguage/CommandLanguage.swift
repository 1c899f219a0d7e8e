// The Glimpse command language: source text to typed commands, or a diagnostic.
