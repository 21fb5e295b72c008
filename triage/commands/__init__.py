"""The command line's parts: `base` (what every command shares: workspace, errors, exit codes,
options), and one module per group of commands; `triage.cli` is the entry point that joins them."""
