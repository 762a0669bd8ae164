"""Indicator series (chỉ tiêu theo dõi) and the match of each meeting's indicator to one."""

from __future__ import annotations

import reversion
from django.conf import settings
from django.db import models
from django.utils import timezone

from .. import vietnamese
from ..models import Committee, Indicator, NormalizedTextModel

# Units written two ways fold to one: "tỉ đồng" is "tỷ đồng".
_UNIT_SPELLINGS = {"ti": "ty"}


def name_key(name: str) -> str:
    """A series name as matching compares it: folded words, single spaces."""
    return " ".join(vietnamese.search_words(name))


def unit_key(unit: str) -> str:
    # Folded but with its signs: "%" is a unit, not nothing.
    words = vietnamese.fold(vietnamese.nfc(unit)).split()
    return " ".join(_UNIT_SPELLINGS.get(w, w) for w in words)


class SeriesQuerySet(models.QuerySet):
    def of_committee(self, committee: Committee):
        return self.filter(committee=committee)

    def mark_changed(self) -> int:
        """Count a change to these series' figures (a match joined, left or was decided, by a
        person or in bulk): a system polling a series (Last-Modified, ETag) sees it."""
        return self.update(updated_at=timezone.now())

    def of_links(self, *series_ids: int | None) -> SeriesQuerySet:
        """The series these links point to (a link without one points to none)."""
        return self.filter(pk__in={pk for pk in series_ids if pk is not None})


@reversion.register()
class IndicatorSeries(NormalizedTextModel):
    # A committee is removed only once its meetings are (they protect it); its series go too.
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="series", verbose_name="cấp ủy"
    )
    name = models.CharField("tên chỉ tiêu theo dõi", max_length=500)
    unit = models.CharField("đơn vị tính", max_length=50, blank=True)
    synonyms = models.TextField(
        "tên gọi khác",
        blank=True,
        help_text="Mỗi dòng một tên mà các kết luận dùng cho cùng chỉ tiêu, ví dụ "
        "“tổng thu ngân sách nhà nước”.",
    )
    name_key = models.CharField(max_length=500, editable=False)
    unit_key = models.CharField(max_length=50, editable=False, blank=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        ordering = ["committee_id", "name"]
        verbose_name = "chỉ tiêu theo dõi"
        verbose_name_plural = "chỉ tiêu theo dõi"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "name_key", "unit_key"],
                name="resolutions_series_unique_name_unit",
                violation_error_message="Cấp ủy này đã có chỉ tiêu theo dõi cùng tên và đơn vị.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)

    @classmethod
    def derived_columns(cls) -> list[str]:
        return ["name_key", "unit_key"]

    def derive_fields(self) -> None:
        self.name_key = name_key(vietnamese.nfc(self.name))
        self.unit_key = unit_key(vietnamese.nfc(self.unit))

    def name_keys(self) -> dict[str, str]:
        """Every folded name of the series, with the name as written."""
        names = [self.name, *(s.strip() for s in self.synonyms.splitlines() if s.strip())]
        return {name_key(n): n for n in names}


class SeriesLink(models.Model):
    """A link to a series that the register suggests and a clerk decides: its state, why it
    was suggested, and who confirmed it."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Đề xuất, chờ xác nhận"
        AMBIGUOUS = "ambiguous", "Nhiều chỉ tiêu cùng khớp: cần chọn"
        CONFIRMED = "confirmed", "Đã xác nhận"

    # Each link declares its own "series" (null while two series fit equally).
    state = models.CharField(
        "trạng thái", max_length=20, choices=State.choices, default=State.SUGGESTED
    )
    reason = models.CharField("lý do", max_length=500, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người xác nhận",
    )

    class Meta:
        abstract = True

    def prepare_for_write(self) -> None:
        """What a bulk write (bulk.insert_rows, the spreadsheets) does to a row: text in NFC."""
        self.reason = vietnamese.nfc(self.reason)

    def confirm(self, user) -> None:
        self.state = self.State.CONFIRMED
        self.confirmed_by = user


@reversion.register()
class SeriesMatch(SeriesLink):
    """Which series a meeting's indicator belongs to, why, and whether a clerk confirmed it."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, related_name="series_match", verbose_name="chỉ tiêu"
    )
    series = models.ForeignKey(
        IndicatorSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name="chỉ tiêu theo dõi",
    )

    class Meta:
        ordering = ["indicator_id"]
        verbose_name = "ghép chỉ tiêu vào chuỗi"
        verbose_name_plural = "ghép chỉ tiêu vào chuỗi"
        indexes = [
            # A series page reads its points through this.
            models.Index(fields=["series", "indicator"], name="resolutions_seriesmatch_series"),
        ]

    def __str__(self):
        return f"{self.indicator.name} → {self.series or '—'}"

    def save(self, *args, **kwargs):
        # A clerk's decision changes the figures of the series it leaves and of the one it
        # joins: both are marked changed, so a system polling a series (Last-Modified) sees it.
        before = (
            SeriesMatch.objects.filter(pk=self.pk).values_list("series_id", flat=True).first()
            if self.pk is not None
            else None
        )
        super().save(*args, **kwargs)
        IndicatorSeries.objects.of_links(before, self.series_id).mark_changed()


@reversion.register()
class DirectiveTarget(SeriesLink):
    """The figure a directive aims at ("thu ngân sách đạt 100% dự toán", "giảm 350 hộ nghèo"):
    its series and the level it sets, suggested from its words and confirmed by a clerk."""

    class Measure(models.TextChoices):
        VALUE = "value", "Giá trị"
        PLAN_PCT = "plan_pct", "Tỷ lệ đạt kế hoạch (%)"

    directive = models.OneToOneField(
        "resolutions.Directive",
        on_delete=models.CASCADE,
        related_name="target",
        verbose_name="nhiệm vụ",
    )
    series = models.ForeignKey(
        IndicatorSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targeted_by",
        verbose_name="chỉ tiêu theo dõi",
    )
    measure = models.CharField(
        "đo bằng", max_length=20, choices=Measure.choices, default=Measure.VALUE
    )
    value = models.DecimalField("mức đề ra", max_digits=20, decimal_places=4)

    class Meta:
        ordering = ["directive_id"]
        verbose_name = "mục tiêu của nhiệm vụ"
        verbose_name_plural = "mục tiêu của nhiệm vụ"

    def __str__(self):
        level = vietnamese.format_decimal(self.value, grouping=True)
        unit = (
            "%"
            if self.measure == self.Measure.PLAN_PCT
            else (self.series.unit if self.series else "")
        )
        return f"{self.series or '—'}: {level} {unit}".strip()


class RepeatWords(models.Model):
    """The words a directive is compared by to find the tasks that come back (repeats.py):
    its own folded words, with its committee and meeting date, kept beside the links made from
    them so that a stale row is told by comparing it with the directive as it stands."""

    directive = models.OneToOneField(
        "resolutions.Directive",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="repeat_words",
        verbose_name="nhiệm vụ",
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="+", verbose_name="cấp ủy"
    )
    started_on = models.DateField("ngày họp")
    words = models.TextField("các từ so sánh")
    size = models.PositiveSmallIntegerField("số bộ ba chữ", default=0)
    # A bit per trigram, numbered by RepeatGram; little-endian bytes.
    grams = models.BinaryField("các bộ ba chữ", default=b"")

    class Meta:
        verbose_name = "từ so sánh của nhiệm vụ"
        verbose_name_plural = "từ so sánh của nhiệm vụ"
        indexes = [models.Index(fields=["committee"], name="resolutions_repeatwords_cmte")]

    def __str__(self):
        return self.words


class RepeatGram(models.Model):
    """A trigram of the register's directives and its number: the bit that stands for it in
    RepeatWords.grams. Numbers are never given twice (rebuild_repeats starts them anew)."""

    gram = models.CharField("bộ ba chữ", max_length=3, unique=True)

    class Meta:
        verbose_name = "bộ ba chữ"
        verbose_name_plural = "bộ ba chữ"

    def __str__(self):
        return self.gram


class DirectiveRepeat(models.Model):
    """A task that came back: *directive* says nearly the same as *earlier*, a directive of
    an earlier meeting of the same committee, with the similarity measured. Made when a
    meeting is imported or saved (repeats.refresh), rebuilt by `manage.py rebuild_repeats`."""

    directive = models.ForeignKey(
        "resolutions.Directive",
        on_delete=models.CASCADE,
        related_name="repeat_links",
        verbose_name="nhiệm vụ",
    )
    earlier = models.ForeignKey(
        "resolutions.Directive",
        on_delete=models.CASCADE,
        related_name="repeated_in",
        verbose_name="nhiệm vụ đã giao trước",
    )
    similarity = models.FloatField("độ giống")

    class Meta:
        ordering = ["directive_id", "earlier_id"]
        verbose_name = "nhiệm vụ được giao lại"
        verbose_name_plural = "nhiệm vụ được giao lại"
        constraints = [
            models.UniqueConstraint(
                fields=["directive", "earlier"],
                name="resolutions_repeat_unique_pair",
                violation_error_message="Hai nhiệm vụ này đã được ghi là giao lại.",
            ),
        ]
        indexes = [
            models.Index(fields=["earlier"], name="resolutions_repeat_earlier"),
        ]

    def __str__(self):
        return f"{self.directive} ← {self.earlier}"
