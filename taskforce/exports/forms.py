from django import forms


class ExportRequestForm(forms.Form):
    """What the "Request a PDF" buttons post: the kind an app declared and its target's code."""

    kind = forms.CharField(max_length=60)
    target = forms.CharField(max_length=64)
