from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.db.models import Prefetch
from django.utils import timezone

from taskforce.forms import VersionedModelForm
from taskforce.taxonomy import PopulationsField, TraffickingTypeField

from .models import Agency, Committee, Membership, Role, Sector, User

SELECT = {"class": "form-select"}


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with an email input so phones offer the email keyboard."""

    username = UsernameField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class AgencyForm(VersionedModelForm):
    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Agency
        fields = ["name", "sector", "jurisdiction_level", "address", "phone", "website"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_force = task_force

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Agency.objects.filter(task_force=self.task_force, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("This task force already has an agency with this name.")
        return name


class PersonForm(VersionedModelForm):
    expertise_trafficking_type = TraffickingTypeField(label="Trafficking expertise")
    expertise_populations = PopulationsField(label="Populations worked with")

    class Meta:
        model = User
        fields = ["full_name", "job_title", "work_phone", "expertise_trafficking_type",
                  "expertise_populations", "expertise"]  # fmt: skip
        widgets = {"expertise": forms.Textarea(attrs={"rows": 3})}


class InvitationForm(forms.Form):
    email = forms.EmailField(help_text="The invitation link goes to this address.")
    full_name = forms.CharField(max_length=150, required=False, label="Name (optional)")
    agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    role = forms.ChoiceField(choices=Role.choices)

    def __init__(self, *args, agencies, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        if Role.MEMBER in roles:
            self.fields["role"].initial = Role.MEMBER

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(max_length=150, label="Your name")
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="The same password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords differ.")
        elif password1:
            probe = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class EndMembershipForm(forms.Form):
    ended_on = forms.DateField(
        initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}), label="Last day"
    )
    reason = forms.CharField(
        max_length=300,
        help_text="For example: left the agency, moved to another role.",
    )
    handover_to = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Hand their open work to",
        empty_label="Their agency's lead (or you, if the agency has none)",
        help_text="Their open action items go to this person: nothing stays with someone who has left.",
        widget=forms.Select(attrs=SELECT),
        to_field_name="code",
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handover_to"].queryset = (
            User.objects.filter(
                memberships__task_force=membership.task_force, memberships__ended_on__isnull=True
            )
            .exclude(pk=membership.user_id)
            .distinct()
            .order_by("full_name", "id")
        )


class AgencyFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    sector = forms.ChoiceField(
        required=False, choices=[("", "All sectors"), *Sector.choices], widget=forms.Select(attrs=SELECT)
    )


class PersonFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        required=False,
        empty_label="All agencies",
        widget=forms.Select(attrs=SELECT),
        to_field_name="code",
    )
    role = forms.ChoiceField(
        required=False, choices=[("", "All roles"), *Role.choices], widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(task_force=task_force).only("code", "name")


class PersonChoiceField(forms.ModelChoiceField):
    """A person, labelled with their agencies (prefetched as `active_memberships`)."""

    def label_from_instance(self, obj):
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


def person_label(user):
    agencies = ", ".join(membership.agency.name for membership in getattr(user, "active_memberships", []))
    return f"{user.full_name} ({agencies})" if agencies else user.full_name


class CommitteeForm(VersionedModelForm):
    """Chair and members come only from the task force's active members; the chair sits on the
    committee too. An observer may sit on a committee but not chair it: a chair runs meetings."""

    chair = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        to_field_name="code",
        empty_label="No chair yet",
        widget=forms.Select(attrs=SELECT),
        help_text="Runs the committee's meetings. An active member of the task force, not an observer.",
        error_messages={
            "invalid_choice": "Choose the chair among the active members of this task force (not observers)."
        },
    )
    members = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text="Only active members of the task force can be chosen.",
        error_messages={"invalid_choice": "Choose members among the active members of this task force."},
    )

    class Meta:
        model = Committee
        fields = ["name", "purpose", "chair", "members"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, task_force, **kwargs):
        super().__init__(*args, **kwargs)
        self.task_force = task_force
        active = Membership.objects.active().filter(task_force=task_force)
        people = (
            User.objects.filter(memberships__in=active)
            .distinct()
            .order_by("full_name", "id")
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=active.select_related("agency").order_by("agency__name", "id"),
                    to_attr="active_memberships",
                )
            )
        )
        self.fields["members"].queryset = people
        self.fields["chair"].queryset = people.filter(
            pk__in=active.exclude(role=Role.OBSERVER).values("user_id")
        )
        if self.instance.pk:
            self.initial["chair"] = self.instance.chair  # the form names people by code

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Committee.objects.filter(task_force=self.task_force, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("This task force already has a committee with this name.")
        return name

    def clean(self):
        data = super().clean()
        chair, members = data.get("chair"), data.get("members")
        if chair is not None and members is not None and chair not in members:
            data["members"] = [*members, chair]
        return data
