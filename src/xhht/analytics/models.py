"""Counts behind every indicator, kept fresh by deltas.

``LeafCount`` — a measure counted at one *leaf key*: the commune a fact was recorded in (a fact recorded
at a village counts for its commune; one recorded at a province or district for that unit itself).
``Fact`` — the same counts rolled up to every unit that contains the leaf: its ancestors as recorded
(legacy paths for historic records), plus the ancestors of the unit it maps to across the 2025 reform
(today's commune for a legacy commune; the former territory for today's commune). A dashboard reads
one ``Fact`` row per (measure, year, unit); village-level figures are counted live (a village is small).

``year`` is 0 for snapshot measures (registry counts as of today).
"""

from __future__ import annotations

from django.db import models

from xhht.core.fields import PathField


class LeafCount(models.Model):
    measure = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    path = PathField()
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "year", "path"], name="analytics_leaf_key")]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} {self.path}: {self.value}"


class Fact(models.Model):
    measure = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    path = PathField()
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "year", "path"], name="analytics_fact_key")]
        indexes = [models.Index(fields=["path", "year"], name="analytics_fact_path")]

    def __str__(self) -> str:
        return f"{self.measure} {self.year} {self.path}: {self.value}"
