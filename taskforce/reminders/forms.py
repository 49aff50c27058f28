from django import forms

from .models import Channel, Kind


class PreferencesForm(forms.Form):
    """One choice per kind of reminder."""

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        channels = channels or {}
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Channel.choices,
                initial=channels.get(kind, Channel.EMAIL),
                widget=forms.RadioSelect,
            )
