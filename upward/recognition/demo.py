"""Demo data for recognition: filled in below."""
