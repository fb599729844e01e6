"""Observability instruments every layer reports to: Prometheus metrics in a registry of each
runtime's own, OpenTelemetry spans, and the observer graph statements and search calls go
through. Imports nothing of Hanaro's, so graph/ and search/ may use it (docs/operations.md)."""
