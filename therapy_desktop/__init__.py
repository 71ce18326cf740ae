"""Therapy Desktop: talk by voice with an AI therapist."""

__version__ = "0.1.0"
