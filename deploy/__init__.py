"""Deployment files for the platform and the code that generates them (see README.md)."""
