"""Models for the phases app arrive with the issues that build it."""
