"""Issuing data: who issues a committee's documents and signs them, who receives them, and the
office's number register. Imported by resolutions/models.py, so the models belong to the
``resolutions`` app."""

from django.db import models

from ..models import Committee, Meeting, NormalizedTextModel


class SignerTitle(models.TextChoices):
    SECRETARY = "secretary", "Bí thư"
    DEPUTY = "deputy", "Phó Bí thư"
    STANDING_DEPUTY = "standing_deputy", "Phó Bí thư Thường trực"


class IssuingProfile(NormalizedTextModel):
    """How a committee's conclusions are issued. The issuing body is kept apart from the
    committee: the Standing Board (Ban Thường vụ) issues on behalf of the Executive Committee
    (Ban Chấp hành)."""

    committee = models.OneToOneField(
        Committee, on_delete=models.CASCADE, related_name="issuing_profile", verbose_name="cấp ủy"
    )
    issuing_body = models.CharField(
        "cơ quan ban hành",
        max_length=200,
        help_text="Tên in ở góc trái văn bản, ví dụ “Quận ủy Quận 2”.",
    )
    on_behalf_of = models.CharField(
        "thay mặt",
        max_length=100,
        default="Ban Thường vụ",
        help_text="Tập thể ký thay mặt (T/M), ví dụ “Ban Thường vụ”.",
    )
    place = models.CharField(
        "địa danh", max_length=100, help_text="In trước ngày tháng, ví dụ “Quận 2”."
    )
    signer_name = models.CharField("người ký", max_length=100, blank=True)
    signer_title = models.CharField(
        "chức vụ người ký",
        max_length=20,
        choices=SignerTitle.choices,
        default=SignerTitle.SECRETARY,
    )
    recipients = models.TextField(
        "nơi nhận mặc định",
        blank=True,
        help_text="Mỗi dòng một nơi nhận, ví dụ “Thường trực Thành ủy,”.",
    )

    class Meta:
        ordering = ["committee__name"]
        verbose_name = "thông tin ban hành"
        verbose_name_plural = "thông tin ban hành"

    def __str__(self):
        return f"{self.issuing_body} ({self.committee})"


class Issuance(NormalizedTextModel):
    """What one conclusion's copy carries beyond its committee's defaults."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="issuance", verbose_name="hội nghị"
    )
    signer_name = models.CharField(
        "người ký", max_length=100, blank=True, help_text="Để trống để dùng người ký mặc định."
    )
    signer_title = models.CharField(
        "chức vụ người ký", max_length=20, choices=SignerTitle.choices, blank=True
    )
    recipients = models.TextField(
        "nơi nhận",
        blank=True,
        help_text="Mỗi dòng một nơi nhận; để trống để dùng nơi nhận mặc định của cấp ủy.",
    )

    class Meta:
        ordering = ["meeting"]
        verbose_name = "ký và gửi văn bản"
        verbose_name_plural = "ký và gửi văn bản"

    def __str__(self):
        return str(self.meeting)


class RegisteredNumber(NormalizedTextModel):
    """A number taken in the office's register: per committee, document type and term.

    A document kept outside the register (issued on paper, not held as a conclusion here)
    takes its number too, by its description, so that the sequence is shared; gaps are
    allowed (a number withdrawn stays unused)."""

    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="registered_numbers",
        verbose_name="cấp ủy",
    )
    document_kind = models.CharField(
        "loại văn bản", max_length=20, choices=Meeting.DocumentKind.choices
    )
    term = models.PositiveSmallIntegerField("khóa")
    number = models.PositiveIntegerField("số")
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_number",
        verbose_name="hội nghị",
    )
    description = models.CharField(
        "văn bản",
        max_length=300,
        blank=True,
        help_text="Trích yếu của văn bản không lưu trong sổ này.",
    )
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)

    class Meta:
        ordering = ["committee", "term", "document_kind", "number"]
        verbose_name = "số văn bản đã cấp"
        verbose_name_plural = "sổ đăng ký số văn bản"
        constraints = [
            # The register's rule: one document per number in a type and term.
            models.UniqueConstraint(
                fields=["committee", "document_kind", "term", "number"],
                name="resolutions_registerednumber_unique_number",
                violation_error_message="Số này đã được cấp cho văn bản khác.",
            ),
        ]

    def __str__(self):
        return f"Số {self.number} ({self.get_document_kind_display()}, khóa {self.term})"

    def holder(self) -> str:
        if self.meeting is not None:
            return f"“{self.meeting.title}”"
        return f"“{self.description}”" if self.description else "một văn bản ngoài sổ"
