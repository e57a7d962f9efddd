"""Progress updates read back from spreadsheets: parsed and checked here, written by tasks.services."""
