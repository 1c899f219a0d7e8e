// The terminal REPL and script runner over any CellExecutor.
