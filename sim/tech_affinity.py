"""Reps' relation to technology: enthusiasts, reluctant adopters, avoiders (001 s3; Rogers)."""

ENTHUSIAST, RELUCTANT, AVOIDER = 0, 1, 2
SEGMENTS = ("enthusiast", "reluctant", "avoider")
