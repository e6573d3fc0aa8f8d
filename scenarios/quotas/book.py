"""Quota from the book: the accounts a rep holds decide part of what they must sell."""

import numpy as np

from scenarios.registry import register
from sim.organisation import role_means


@register("quota", "book")
class Book:
    """Every rep of a role shares the role's mean production, and ``book_weight`` of it is
    scaled by the recurring revenue the rep holds against the role's mean book: a bigger
    book asks for more (farmers grow accounts; a hunter's book is small)."""

    @staticmethod
    def base(history: np.ndarray, book: np.ndarray, role: np.ndarray, occupied: np.ndarray,
             book_weight: float) -> np.ndarray:
        mean_book = role_means(book, role, occupied)
        relative = np.where(mean_book > 0, book / np.where(mean_book > 0, mean_book, 1.0), 1.0)
        return role_means(history, role, occupied) * (1.0 - book_weight + book_weight * relative)
