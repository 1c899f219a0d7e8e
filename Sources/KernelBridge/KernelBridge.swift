// Serves a CellExecutor (the Glimpse session) as a Jupyter KernelLanguage.
