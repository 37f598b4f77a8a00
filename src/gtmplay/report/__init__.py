"""Reporters: one module per findings format."""
