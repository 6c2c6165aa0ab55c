"""The annual report on government information disclosure (spec/annual-report.md)."""
