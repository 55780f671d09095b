"""Renderers: each reads a finished result object and writes one output format."""
