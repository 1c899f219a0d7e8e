"""Glimpse's seeded generator (Sources/Attribution/Methods/SplitMix64.swift) in Python.

SplitMix64 (Steele, Lea and Flood 2014) with Glimpse's derived draws: `unit` from the top 53
bits, `index` by multiply-shift, `normal` by Box-Muller with both values of a pair used. Python's
math.log/sin/cos and Swift's Foundation both call the C library, so the doubles agree bit for bit
on the same platform; the reference script relies on that to replay Glimpse's random draws.
"""
import math

MASK64 = (1 << 64) - 1


class SplitMix:
    """One 64-bit word of state, as Glimpse's `SplitMix64(seed:)`."""

    def __init__(self, seed: int):
        self.state = seed & MASK64
        self.spare = None

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def unit(self) -> float:
        """Uniform in [0, 1) from the top 53 bits (`nextUnit`)."""
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)

    def index(self, bound: int) -> int:
        """Uniform in 0..<bound, the high word of next() * bound (`nextIndex(below:)`)."""
        return (self.next() * bound) >> 64

    def normal(self) -> float:
        """Standard normal, Box-Muller, cosine value first (`nextNormal`)."""
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        u1 = 1 - self.unit()
        u2 = self.unit()
        radius = math.sqrt(-2 * math.log(u1))
        angle = 2 * math.pi * u2
        self.spare = radius * math.sin(angle)
        return radius * math.cos(angle)
