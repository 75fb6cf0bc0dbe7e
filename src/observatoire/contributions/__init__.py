"""Partners feeding the observatory: corrections and local figures proposed on a value,
partner data uploads (commune projects, bailleur programming), satisfaction surveys and
the usage statistics of the platform."""
