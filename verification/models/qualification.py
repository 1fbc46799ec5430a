"""Kvalifisering: criteria, applications, reviews and qualifications of vendors (QUA-1 … QUA-6)."""
