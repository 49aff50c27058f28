"""Forms for MOU signatures: choosing the signatory agencies, recording an outside approval,
signing (typed or with the signed page) and declining."""

from django import forms
from django.core.exceptions import ValidationError

from members.models import Agency
from taskforce.uploads import MAX_UPLOAD_BYTES, PDF, clean_file_name, validate_upload

DATE = {"type": "date"}


class SignatoryForm(forms.Form):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        to_field_name="code",
        empty_label="Choose an agency",
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="Member agencies of this task force that are not signatories yet.",
    )
    needs_outside_approval = forms.BooleanField(
        label="Needs outside approval before signing",
        required=False,
        help_text="A city council, a board or headquarters must approve before the lead signs.",
    )
    approving_body = forms.CharField(
        max_length=200, required=False, help_text="Who must approve, e.g. City Council."
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            Agency.objects.filter(task_force_id=version.document.task_force_id)
            .exclude(signatures__version=version)
            .order_by("name", "id")
        )

    def clean(self):
        data = super().clean()
        if data.get("needs_outside_approval") and not (data.get("approving_body") or "").strip():
            self.add_error("approving_body", "Say who must approve first, e.g. City Council.")
        return data


class OutsideApprovalForm(forms.Form):
    outside_approval_on = forms.DateField(
        label="Approved on",
        widget=forms.DateInput(attrs=DATE),
        help_text="The day the approving body gave its approval.",
    )


class SignForm(forms.Form):
    signer_name = forms.CharField(
        label="Your full name", max_length=150, help_text="Typed, it is your signature."
    )
    signer_title = forms.CharField(label="Your title", max_length=150)
    signed_on = forms.DateField(label="Date", widget=forms.DateInput(attrs=DATE))
    signed_page = forms.FileField(
        label="Signed page (optional)",
        required=False,
        help_text=f"If you signed on paper: the scanned signature page as a PDF, "
        f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB at most.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    confirm = forms.BooleanField(
        label="I am authorised to sign this MOU for my agency.",
        error_messages={"required": "Confirm that you are authorised to sign for your agency."},
    )

    def __init__(self, *args, agency, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["confirm"].label = f"I am authorised to sign this MOU for {agency.name}."

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > self.today:
            raise ValidationError("The date of signing is today or an earlier day.")
        return signed_on

    def clean_signed_page(self):
        upload = self.cleaned_data.get("signed_page")
        if not upload:
            return None
        kind = validate_upload(upload, allowed=(PDF,))
        self.page_name = clean_file_name(upload.name, kind)
        return upload


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why the agency declines",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The coordinator reads it to prepare a new version.",
        error_messages={"required": "Say why the agency declines."},
    )
