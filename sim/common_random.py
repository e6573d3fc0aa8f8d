"""Common random numbers: every chance event keyed on what it decides, the week and whom.

A run and its no-programme counterfactual (``SilosimModel.without_programme``) share all
history up to launch. After it they must also share their *luck*, or the difference
between them is mostly noise: with one random stream consumed in state-dependent amounts,
the two branches desynchronise at the first differing draw, and with no programme effect
at all final revenue still differs by ~1.4% (sd) — as much as a well-adopted tool adds.

So every chance event after initialisation draws a uniform that is a fixed function of
(the run's key, the kind of event ``Draw``, the week, the entity it concerns — a customer
slot, a seat or a marketing channel). A customer whose anniversary falls in week 80 faces
the same renewal draw in both branches; a rep faces the same quit draw; a deal closing the
same week for the same customer has the same win draw. A branch differs from its twin only
where the programme changed a state or a probability, and by inverse-CDF draws a higher
probability never turns a win into a loss.

The uniform is SplitMix64's output function applied to ``key + counter * GAMMA``, where
``counter`` packs (week, draw, part, entity) into 64 bits: Steele, Lea & Flood 2014 (the
generator behind Java's SplittableRandom), whose outputs over consecutive counters pass
BigCrush. It is computed for just the entities needed, vectorised.

Invariants: a draw depends only on (key, draw, part, week, entity); entities are below
``MAX_ENTITIES``; weeks may be negative (the spin-up) and are taken modulo 2^32.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from enum import IntEnum

import numpy as np
from scipy import special

GAMMA = np.uint64(0x9E3779B97F4A7C15)      # SplitMix64's increment (the golden ratio)
MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
MIX_2 = np.uint64(0x94D049BB133111EB)
SHIFT_1, SHIFT_2, SHIFT_3, SHIFT_UNIT = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
ENTITY_BITS, PART_BITS, DRAW_BITS = 24, 3, 5
MAX_ENTITIES = 1 << ENTITY_BITS
TO_UNIT = 2.0 ** -53
WORD = (1 << 64) - 1
GAMMA_WORD = int(GAMMA)   # GAMMA as a Python integer
LARGE_MEAN = 500.0       # Poisson means above this use the normal approximation
SMALL_MEAN = 8.0         # up to this, Poisson quantiles are summed term by term
CDF_REACH = 10.0         # the tabulated CDF reaches mean + CDF_REACH sd (+ CDF_REACH)
CDFS_CACHED = 64         # tabulated CDFs a process remembers
#: log k! for the tabulated Poisson CDF
LOG_FACTORIAL = special.gammaln(np.arange(1.0, LARGE_MEAN + CDF_REACH * (np.sqrt(LARGE_MEAN) + 1.0)
                                          + 2.0))


class Draw(IntEnum):
    """What a chance event decides (one independent stream of uniforms each)."""

    READINESS = 1        # a prospect's weekly drift in buying readiness
    RENEWAL = 2          # a subscriber's renewal at its anniversary
    LEAD_COUNT = 3       # how many leads a marketing channel produces this week
    LEAD_PICK = 4        # which prospects a channel reaches (part: the channel)
    LEAD_LOSS = 5        # a new lead lost before sales sees it
    LEAD_REP = 6         # which rep a dumped lead lands on
    LEAD_ACCEPT = 7      # whether that rep accepts it
    LEAD_NOTICE = 8      # days before the rep notices it
    LEAD_SLOTS = 9       # a rep's fractional lead slot this week
    LEAD_QUALIFY = 10    # a worked lead qualifies
    HUNT_COUNT = 11      # how many new-logo opportunities a rep's hunting finds
    HUNT_PICK = 12       # which prospects they are
    CROSS_COUNT = 13     # how many cross-sell opportunities a rep's farming finds
    CROSS_PICK = 14      # on which of the rep's accounts
    DEAL_CYCLE = 15      # weeks until an opportunity closes
    WIN = 16             # an opportunity is won
    POTENTIAL = 17       # a new subscriber's account potential
    CONTRACT = 18        # the share of it the first contract takes
    QUIT = 19            # a rep quits this week
    HIRE = 20            # who fills a vacant seat (a small generator of their own)


def _to_unit(words: np.ndarray) -> np.ndarray:
    """Uniforms in (0, 1) from random words: their top 53 bits, centred in their interval."""
    words >>= SHIFT_UNIT
    unit = words + 0.5
    unit *= TO_UNIT
    return unit


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's output function (a bijection on 64-bit words), in place on ``z``."""
    z ^= z >> SHIFT_1
    z *= MIX_1
    z ^= z >> SHIFT_2
    z *= MIX_2
    z ^= z >> SHIFT_3
    return z


#: the draws made once a week for every seat
SEAT_DRAWS = (Draw.LEAD_SLOTS, Draw.HUNT_COUNT, Draw.CROSS_COUNT, Draw.QUIT)


class CommonRandom:
    """The run's keyed chance events (shared, by copy, with its counterfactual twin)."""

    def __init__(self, key: int) -> None:
        self.key = int(key)   # a 64-bit word
        self.seat_week: tuple[int, int] | None = None   # (week, seats) of ``seat_luck``
        self.seat_luck: dict[Draw, np.ndarray] = {}

    def seat_uniform(self, draw: Draw, week: int, seats: int) -> np.ndarray:
        """Every seat's uniform of one of ``SEAT_DRAWS``: ``uniform(draw, week,
        np.arange(seats))``. The week's first call mixes all of them in one pass and the
        others read what it kept (read only)."""
        if self.seat_week != (week, seats):
            luck = self.uniforms(SEAT_DRAWS, week, np.arange(seats))
            luck.flags.writeable = False
            self.seat_luck = dict(zip(SEAT_DRAWS, luck, strict=True))
            self.seat_week = (week, seats)
        return self.seat_luck[draw]

    def words(self, draw: Draw, week: int, entities: np.ndarray | int, part: int = 0) -> np.ndarray:
        """Independent random 64-bit words, one per entity: ``mix(key + counter * GAMMA)``."""
        z = np.array(entities, dtype=np.uint64)   # a copy: mixed in place; 64-bit words wrap
        z *= GAMMA
        z += np.uint64(self.offset(draw, week, part))
        return _mix(z)

    def offset(self, draw: Draw, week: int, part: int) -> int:
        """``key + counter * GAMMA`` of entity 0 of a stream: an entity adds ``entity * GAMMA``."""
        stream = ((week & 0xFFFFFFFF) << 32) | (int(draw) << (ENTITY_BITS + PART_BITS)) | \
            (part << ENTITY_BITS)
        return (stream * GAMMA_WORD + self.key) & WORD

    def uniform(self, draw: Draw, week: int, entities: np.ndarray | int, part: int = 0
                ) -> np.ndarray:
        """Uniforms in (0, 1), one per entity."""
        return _to_unit(self.words(draw, week, entities, part))

    def uniforms(self, draws: Sequence[Draw], week: int, entities: np.ndarray) -> np.ndarray:
        """Uniforms of several draws at once, one row per draw: row ``i`` is
        ``uniform(draws[i], week, entities)``, mixed in one pass."""
        return self.rows([self.offset(draw, week, 0) for draw in draws], entities)

    def uniform_parts(self, draw: Draw, week: int, entities: np.ndarray, parts: int) -> np.ndarray:
        """Uniforms of one draw's first ``parts`` parts at once, one row per part: row ``p`` is
        ``uniform(draw, week, entities, p)``, mixed in one pass."""
        return self.rows([self.offset(draw, week, part) for part in range(parts)], entities)

    def rows(self, offsets: list[int], entities: np.ndarray) -> np.ndarray:
        """Uniforms of several streams (given by their offsets) over the same entities."""
        z = np.asarray(entities, dtype=np.uint64) * GAMMA
        return _to_unit(_mix(z + np.array(offsets, dtype=np.uint64)[:, None]))

    def normal(self, draw: Draw, week: int, entities: np.ndarray, part: int = 0) -> np.ndarray:
        """Standard normals, one per entity (inverse CDF)."""
        return special.ndtri(self.uniform(draw, week, entities, part))

    def poisson(self, draw: Draw, week: int, entities: np.ndarray, mean: np.ndarray,
                part: int = 0) -> np.ndarray:
        """Poisson counts with the given means, one per entity (inverse CDF: a larger mean
        never gives a smaller count for the same entity and week)."""
        return poisson_quantile(self.uniform(draw, week, entities, part), np.asarray(mean, float))

    def seat_poisson(self, draw: Draw, week: int, mean: np.ndarray) -> np.ndarray:
        """Poisson counts with the given means, one per seat, of one of ``SEAT_DRAWS``: as
        ``poisson(draw, week, np.arange(len(mean)), mean)``."""
        return poisson_quantile(self.seat_uniform(draw, week, len(mean)), np.asarray(mean, float))

    def pick(self, draw: Draw, week: int, candidates: np.ndarray, weight: np.ndarray, count: int,
             part: int = 0) -> np.ndarray:
        """``count`` of ``candidates`` drawn without replacement, with probability growing with
        ``weight`` (Efraimidis & Spirakis 2006: the largest keys ``u ** (1 / weight)``)."""
        count = min(count, len(candidates))
        if count <= 0:
            return candidates[:0]
        surprise = np.log(self.uniform(draw, week, candidates, part))   # -log u, in place
        np.negative(surprise, out=surprise)
        surprise /= weight      # the largest keys are the smallest -log(u) / weight
        return candidates[np.argpartition(surprise, count - 1)[:count]]

    def generator(self, draw: Draw, week: int, entity: int) -> np.random.Generator:
        """A small generator of its own for an event that draws several things at once."""
        return np.random.default_rng([self.word(draw, week, entity), self.key])

    def word(self, draw: Draw, week: int, entity: int) -> int:
        """One entity's random word, as ``words`` gives it, in Python integers (for one entity
        cheaper than an array)."""
        z = (self.offset(draw, week, 0) + entity * GAMMA_WORD) & WORD
        z = ((z ^ (z >> int(SHIFT_1))) * int(MIX_1)) & WORD
        z = ((z ^ (z >> int(SHIFT_2))) * int(MIX_2)) & WORD
        return z ^ (z >> int(SHIFT_3))


def geometric_quantile(u: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Trials until the first success (>= 1) with success chance ``p``, the quantile of each
    uniform ``u`` (inverse CDF: a higher chance never gives more trials)."""
    p = np.asarray(p, float).clip(1e-12, 1.0)
    with np.errstate(divide="ignore"):
        trials = np.ceil(np.log1p(-u) / np.log1p(-p))
    return np.where(p >= 1.0, 1, np.maximum(trials, 1.0)).astype(np.int64)


def poisson_quantile(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The Poisson quantile of ``u`` for each mean: the smallest k with CDF(k) >= u.

    Rows with u below P(0) are 0. For small means the CDF is summed term by term until
    every row is placed; for larger ones it is tabulated at once out to where it is 1 in
    double precision (mean + 10 sd). Means above ``LARGE_MEAN`` use the normal
    approximation with continuity correction, monotone in u and mean alike.
    """
    count = np.zeros(len(u), np.int64)
    large = mean > LARGE_MEAN
    none = np.exp(-np.minimum(mean, LARGE_MEAN))     # P(0)
    above = u > none
    if large.any():
        m = mean[large]
        count[large] = np.maximum(np.floor(m + np.sqrt(m) * special.ndtri(u[large]) + 0.5), 0)
        above &= ~large
    rows = above.nonzero()[0]
    if len(rows):
        if mean[rows].max() <= SMALL_MEAN:
            count[rows] = _summed(u[rows], mean[rows], none[rows])
        else:
            count[rows] = _tabulated(u[rows], mean[rows])
    return count


def _summed(u: np.ndarray, mean: np.ndarray, none: np.ndarray) -> np.ndarray:
    """Quantiles for rows known to be above 0, from P(0) = ``none`` (a copy of the rows' own)
    adding one Poisson term at a time."""
    term = none
    cdf = term.copy()
    count = np.zeros(len(u), np.int64)
    below = u > cdf
    k = 0
    while below.any():
        k += 1
        term *= mean / k
        cdf += term
        count += below
        below &= u > cdf
    return count


def _tabulated(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Quantiles for rows known to be above 0 (so every mean > 0), from the CDF tabulated
    in one go (remembered per set of means: a channel's lead count has the same mean every
    week)."""
    return (u[:, None] > _tabulated_cdf(mean.tobytes())).sum(axis=1)


@functools.lru_cache(maxsize=CDFS_CACHED)
def _tabulated_cdf(means: bytes) -> np.ndarray:
    """The Poisson CDF of each of ``means`` (float64 bytes), one row each, from the log pmf."""
    mean = np.frombuffer(means)
    columns = int(mean.max() + CDF_REACH * np.sqrt(mean.max()) + CDF_REACH)
    log_pmf = np.outer(np.log(mean), np.arange(columns))
    log_pmf -= mean[:, None]
    log_pmf -= LOG_FACTORIAL[:columns]
    cdf = np.cumsum(np.exp(log_pmf), axis=1)
    cdf.flags.writeable = False
    return cdf
