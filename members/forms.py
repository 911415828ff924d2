"""Forms: parse and validate input; the services do the change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import ETHNICITY_CHOICES, Category, Membership, Person
from members.phones import normalise_phone
from members.services import CONSENT_PURPOSE, PERSON_FIELDS, SENSITIVE_CONSENT_TEXT, person_find
from networks.models import Commune, Network
from portal.text import CleanTextFormMixin
from portal.widgets import DateInput


class ProfileForm(CleanTextFormMixin, forms.Form):
    """A person's profile, as staff or the person herself type it."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    year_of_birth = forms.IntegerField(label=_("Year of birth"), min_value=1920, max_value=2015, required=False)
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=[("", "—"), *ETHNICITY_CHOICES], required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("e.g. 0912 345 678"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=255, required=False)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    category = forms.ChoiceField(label=_("Primary category"), choices=[("", "—"), *Category.choices], required=False)
    commune = forms.ModelChoiceField(label=_("Commune/ward"), queryset=Commune.objects.none(), required=False)
    is_young_potential_leader = forms.BooleanField(label=_("Young potential leader"), required=False)
    sensitive_consent = forms.BooleanField(label=SENSITIVE_CONSENT_TEXT, required=False)

    field_order = ["full_name", "year_of_birth", "sensitive_consent", "ethnicity"]

    def __init__(self, *args: Any, province_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communes = Commune.objects.all()
        if province_id:
            communes = communes.filter(province_id=province_id)
        self.fields["commune"].queryset = communes.order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("ethnicity") and not data.get("sensitive_consent"):
            self.add_error(
                "ethnicity",
                _("The ethnic group is recorded only with the explicit consent above: tick it or leave this empty."),
            )
        return data

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data.get("phone"))
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc

    @staticmethod
    def initial_for(person: Any) -> dict[str, Any]:
        data = {field: getattr(person, field) for field in PERSON_FIELDS if field not in ("commune", "phone")}
        data["commune"] = person.commune_id
        data["phone"] = str(person.phone) if person.phone else ""
        data["sensitive_consent"] = bool(person.sensitive_consent_at)
        if not person.sensitive_consent_at:
            data["ethnicity"] = ""  # not shown (nor kept) without her explicit consent
        return data


class ProposeForm(ProfileForm):
    """A new candidate for a network (proposed by the Standing Committee). Her record's
    basis is the proposed list; her ethnic group waits for her own consent (application)."""

    network = forms.ModelChoiceField(label=_("Network"), queryset=Network.objects.none())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["network"]

    def __init__(self, *args: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        del self.fields["ethnicity"], self.fields["sensitive_consent"]


class ApplicationForm(ProfileForm):
    """The membership application (đơn xin gia nhập): profile and consent."""

    consent = forms.BooleanField(label=CONSENT_PURPOSE, required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("phone", "organisation", "position", "category", "year_of_birth"):
            self.fields[name].required = True
        self.fields["consent"].error_messages["required"] = _(
            "Please agree to the processing of your personal data to apply."
        )


class BulkActionForm(CleanTextFormMixin, forms.Form):
    """A pipeline step for several memberships at once."""

    ACTIONS = [
        ("approve", _("Record leadership approval")),
        ("invite", _("Send invitations")),
        ("admit", _("Admit as members (by decision)")),
        ("access", _("Give portal access (account and welcome message)")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    memberships = forms.ModelMultipleChoiceField(queryset=Membership.objects.none(), label=_("People"))
    reference = forms.CharField(label=_("Leadership document or opinion"), required=False, max_length=2000)
    decision_number = forms.CharField(label=_("Admission decision number"), required=False, max_length=100)
    joined_on = forms.DateField(label=_("Member since"), required=False, widget=DateInput())

    def __init__(self, *args: Any, memberships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["memberships"].queryset = memberships

    def clean_memberships(self) -> Any:
        # A caller may have posted ids from several stages: keep them in a stable order.
        return self.cleaned_data["memberships"].select_related("person", "network").order_by("pk")


class StatusChangeForm(CleanTextFormMixin, forms.Form):
    to_status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (s.value, s.label)
            for s in (
                Membership.Status.DECLINED,
                Membership.Status.REJECTED,
                Membership.Status.LEFT,
                Membership.Status.REMOVED,
                Membership.Status.CANDIDATE,
            )
        ],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ImportForm(CleanTextFormMixin, forms.Form):
    file = forms.FileField(label=_("Member list (.xlsx or .csv)"))
    province = forms.ModelChoiceField(label=_("Province"), queryset=None, required=False)
    network = forms.ModelChoiceField(
        label=_("Also put everyone on this network's candidate list"), queryset=None, required=False
    )

    def __init__(self, *args: Any, provinces: Any, networks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["network"].queryset = networks

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class PersonAdminForm(CleanTextFormMixin, forms.ModelForm):
    """The admin's person form: clean text, and the duplicate check of the one writer as
    a form error (not a failed save)."""

    class Meta:
        model = Person
        fields = "__all__"  # noqa: DJ007 - the admin's own field list decides what shows

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        province = data.get("province") or getattr(self.instance, "province", None)
        if province is None:
            return data
        try:
            clash = person_find(
                province_id=province.pk,
                phone=str(data.get("phone") or ""),
                email=data.get("email") or "",
                exclude_pk=self.instance.pk,
            )
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        if clash is not None:
            raise ValidationError(
                _("%(name)s (#%(id)s) already has this phone or e-mail: merge the two records instead.")
                % {"name": clash.full_name, "id": clash.pk}
            )
        return data


class ConfirmWithReasonForm(CleanTextFormMixin, forms.Form):
    """A step she must confirm (nothing happens in one tap), with an optional reason."""

    reason = forms.CharField(
        label=_("Your reason (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(label=_("Yes, I confirm"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].error_messages["required"] = _("Tick the box to confirm.")
