"""Forms for the programme pages. Each validates input at the edge; services enforce rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from upward.directory.models import Organisation

from . import identity
from .defaults import DEFAULT_LENGTH_MONTHS
from .models import (
    ApplicationForm,
    Challenge,
    Cohort,
    Programme,
    Question,
    ReadinessItem,
    SensitiveAccess,
    Side,
    StakeholderInterview,
)
from .policy import CRITERIA, WEIGHT_WORDS

DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeBasicsForm(forms.Form):
    name = forms.CharField(max_length=200, label="Programme name")
    kind = forms.ChoiceField(
        choices=Programme.Kind.choices,
        label="Kind of mentoring",
        widget=forms.RadioSelect,
        help_text=(
            "Reverse: junior colleagues mentor senior leaders. Reciprocal: both learn from each "
            "other by design. Traditional: senior colleagues mentor junior ones."
        ),
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Organisations taking part",
        help_text="Choose more than one for a cross-organisation programme.",
        error_messages={"required": "Choose at least one organisation."},
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What the programme is for",
        help_text="A few sentences applicants will read on their invitation.",
    )
    starts_on = forms.DateField(
        widget=DATE, label="Start date", help_text="When the readiness phase begins."
    )
    length_months = forms.IntegerField(
        min_value=3,
        max_value=36,
        initial=DEFAULT_LENGTH_MONTHS,
        label="Length in months",
        help_text="Most programmes last twelve months.",
    )
    meeting_cadence = forms.ChoiceField(
        choices=Programme.Cadence.choices,
        initial=Programme.Cadence.MONTHLY,
        label="How often pairs are expected to meet",
    )
    meeting_minutes = forms.IntegerField(
        min_value=15, max_value=240, initial=60, label="Length of each meeting, in minutes"
    )
    hours_per_month = forms.IntegerField(
        min_value=1,
        max_value=40,
        initial=2,
        label="Hours a month asked of each participant",
        help_text="Including training and group sessions.",
    )
    anonymity_threshold = forms.IntegerField(
        min_value=3,
        max_value=50,
        initial=5,
        label="Anonymity threshold",
        help_text="Survey results show only for groups of at least this many people (3 or more).",
        error_messages={"min_value": "The anonymity threshold can never be below 3."},
    )

    def __init__(
        self, *args: Any, organisations: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
        if editing:
            del self.fields["length_months"]
            self.fields["ends_on"] = forms.DateField(widget=DATE, label="End date")
            self.order_fields([*list(self.fields)[:6], "ends_on"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "The end date must be after the start date.")
        return cleaned


class ObjectivesForm(forms.Form):
    challenges = forms.MultipleChoiceField(
        choices=[c for c in Challenge.choices if c[0] != Challenge.OTHER],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Challenges the programme is designed to solve",
        help_text="Choose the few that matter most; the application questions follow them.",
    )
    other = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Your own objectives",
        help_text="One a line, in your own words.",
        max_length=2000,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Challenge.choices:
            if value == Challenge.OTHER:
                continue
            self.fields[f"detail_{value}"] = forms.CharField(
                required=False,
                max_length=1000,
                label=f"{label}: what it means here",
                help_text="Optional: how you will know it has changed.",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("challenges") and not (cleaned.get("other") or "").strip():
            raise forms.ValidationError(
                "Choose at least one challenge, or describe your own objective."
            )
        return cleaned

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[f"detail_{v}"] for v, _ in Challenge.choices if v != Challenge.OTHER]


class ScheduleForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for phase, label in Programme.Phase.choices:
            self.fields[f"{phase}_start"] = forms.DateField(widget=DATE, label=f"{label} starts")
            self.fields[f"{phase}_end"] = forms.DateField(widget=DATE, label=f"{label} ends")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for phase, label in Programme.Phase.choices:
            start, end = cleaned.get(f"{phase}_start"), cleaned.get(f"{phase}_end")
            if start and end and end < start:
                self.add_error(f"{phase}_end", f"{label} must end on or after its start.")
        return cleaned

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"{phase}_start"], self[f"{phase}_end"])
            for phase, label in Programme.Phase.choices
        ]

    def windows(self) -> dict[str, tuple[dt.date, dt.date]]:
        return {
            phase: (self.cleaned_data[f"{phase}_start"], self.cleaned_data[f"{phase}_end"])
            for phase in Programme.Phase.values
        }


WEIGHT_CHOICES = [(n, f"{n} — {WEIGHT_WORDS[n]}") for n in range(6)]


class PolicyForm(forms.Form):
    min_grade_gap = forms.IntegerField(
        min_value=0,
        max_value=10,
        label="Smallest gap in grade between leader and mentor",
        help_text="0 allows any gap.",
    )
    ban_same_department = forms.BooleanField(
        required=False, label="Never pair people from the same department"
    )
    ban_same_organisation = forms.BooleanField(
        required=False,
        label="Never pair people from the same organisation (cross-organisation programmes)",
    )
    min_availability_overlap = forms.IntegerField(
        min_value=0,
        max_value=10,
        label="Time slots a pair must share each week",
        help_text="From the availability grid on the forms. 0 does not check availability.",
    )
    require_shared_language = forms.BooleanField(
        required=False, label="Pairs must share a language"
    )
    algorithm = forms.ChoiceField(
        choices=[
            ("optimal", "Best total for everyone (optimal assignment)"),
            ("stable", "Stable matching (nobody would both rather swap)"),
        ],
        widget=forms.RadioSelect,
        label="How pairs are chosen",
    )
    identity_dimensions = forms.MultipleChoiceField(
        choices=[(d.code, d.label) for d in identity.DIMENSIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Identity questions to offer applicants, and the difference the programme seeks",
        help_text=(
            "Always optional for applicants, each with its purpose and a consent they can "
            "withdraw. Only consented answers reach matching."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, name in CRITERIA:
            self.fields[f"weight_{key}"] = forms.TypedChoiceField(
                choices=WEIGHT_CHOICES, coerce=int, label=name[0].upper() + name[1:]
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{key}"] for key, _ in CRITERIA]

    def rule_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "min_grade_gap",
                "ban_same_department",
                "ban_same_organisation",
                "min_availability_overlap",
                "require_shared_language",
                "algorithm",
            )
        ]


class ReadinessItemForm(forms.ModelForm):
    class Meta:
        model = ReadinessItem
        fields = ["status", "owner", "evidence", "due_on"]
        widgets = {
            "status": forms.RadioSelect,
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "due_on": DATE,
        }
        labels = {"due_on": "Due by"}


class ReadinessItemAddForm(forms.Form):
    title = forms.CharField(max_length=200, label="What needs to be in place")
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Why it matters"
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=15,
        max_length=2000,
        label="Reason",
        help_text="At least 15 characters. It is kept on the programme's record with your name.",
        error_messages={
            "required": "Give a reason: it is kept on the record.",
            "min_length": "Give a reason of at least 15 characters: it is kept on the record.",
        },
    )


class OpenApplicationsForm(forms.Form):
    deadline = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        label="Deadline",
        help_text="Applicants can apply and change their answers until then. Leave empty for none.",
    )

    def clean_deadline(self) -> dt.datetime | None:
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and deadline <= timezone.now():
            raise forms.ValidationError("The deadline must be in the future.")
        return deadline


class OpenCallForm(forms.Form):
    leaders = forms.BooleanField(required=False, label="Open call for leaders")
    mentors = forms.BooleanField(required=False, label="Open call for mentors")


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(choices=Programme.Phase.choices, label="Move to phase")


class InterviewForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(
        choices=StakeholderInterview.Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Themes",
        help_text="The themes the problems fall under, for the summary across interviews.",
    )

    class Meta:
        model = StakeholderInterview
        fields = ["interviewee", "role", "organisation", "held_on", "problems", "themes"]
        widgets = {"held_on": DATE, "problems": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "interviewee": "Who was interviewed",
            "held_on": "Date of the interview",
            "problems": "Problems named",
        }
        help_texts = {"problems": "In their words. Kept encrypted; only coordinators see it."}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = programme.organisations.all()
        self.fields["organisation"].required = False


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "starts_on", "capacity", "description"]
        widgets = {"starts_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        labels = {"starts_on": "Starts on", "capacity": "Capacity (pairs)"}

    def validate_unique(self) -> None:
        # The service reports a duplicate name in words; the programme is not on the form.
        pass


class TopicForm(forms.Form):
    name = forms.CharField(max_length=120, label="Topic")
    description = forms.CharField(max_length=300, required=False, label="Description")


class FormIntroForm(forms.ModelForm):
    class Meta:
        model = ApplicationForm
        fields = ["intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}
        labels = {"intro": "Introduction shown at the top of the form"}


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(choices=Question.Kind.choices, label="Kind of question")
    label = forms.CharField(max_length=300, label="Question")
    help_text = forms.CharField(max_length=500, required=False, label="Help text")
    required = forms.BooleanField(required=False, label="An answer is required")
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Options",
        help_text="For single and multiple choice: one option a line.",
    )
    max_choices = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=50,
        label="Most options a person may pick",
        help_text="For multiple choice and topic pickers. Leave empty for no limit.",
    )
    min_value = forms.IntegerField(initial=1, min_value=-10, max_value=100, label="Scale from")
    max_value = forms.IntegerField(initial=5, min_value=-10, max_value=100, label="Scale to")
    min_label = forms.CharField(max_length=60, required=False, label="Words for the lowest point")
    max_label = forms.CharField(max_length=60, required=False, label="Words for the highest point")
    use = forms.ChoiceField(
        choices=Question.Use.choices, required=False, label="How matching uses the answer"
    )
    sensitive = forms.BooleanField(
        required=False,
        label="Sensitive: hide from coordinators unless needed, and log each look",
    )

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        return {
            "kind": question.kind,
            "label": question.label,
            "help_text": question.help_text,
            "required": question.required,
            "choices": "\n".join(question.choices),
            "max_choices": question.max_choices,
            "min_value": question.min_value,
            "max_value": question.max_value,
            "min_label": question.min_label,
            "max_label": question.max_label,
            "use": question.use,
            "sensitive": question.sensitive,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [line for line in data["choices"].splitlines() if line.strip()]
        data["min_value"] = data["min_value"] if data["min_value"] is not None else 1
        data["max_value"] = data["max_value"] if data["max_value"] is not None else 5
        return data


class EligibilityForm(forms.Form):
    grade_min = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Lowest grade level"
    )
    grade_max = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Highest grade level"
    )
    min_tenure_months = forms.IntegerField(
        min_value=0, max_value=600, initial=0, label="Months in the organisation, at least"
    )
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Only from these organisations",
        help_text="Leave all unticked to take people from every organisation in the programme.",
    )
    respect_mentor_load = forms.BooleanField(
        required=False,
        label=(
            "Turn away mentors who already hold as many active places as their organisation "
            "allows"
        ),
    )

    def __init__(self, *args: Any, programme: Programme, side: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=side, **kwargs)
        self.fields["organisations"].queryset = programme.organisations.all()
        if side == Side.LEADER:
            del self.fields["respect_mentor_load"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("grade_min"), cleaned.get("grade_max")
        if low is not None and high is not None and low > high:
            self.add_error("grade_max", "The highest grade must not be below the lowest.")
        return cleaned


class WaveForm(forms.Form):
    side = forms.ChoiceField(choices=Side.choices, widget=forms.RadioSelect, label="Invite as")
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Organisations",
        help_text="Leave all unticked for every organisation in the programme.",
    )
    grade_min = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Lowest grade level"
    )
    grade_max = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Highest grade level"
    )
    departments = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Departments",
        help_text="Leave empty for every department.",
    )
    identifiers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Or a list of people",
        help_text="Employee ids or email addresses, separated by commas or new lines.",
        max_length=100_000,
    )
    order = forms.ChoiceField(
        choices=[
            ("senior", "Most senior first"),
            ("junior", "Most junior first"),
            ("name", "By name"),
        ],
        initial="senior",
        label="Order",
    )
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=5000,
        label="At most this many people",
        help_text="Taken from the top of the order. Leave empty for everyone who matches.",
    )
    message = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A personal note for the email",
    )

    def __init__(
        self, *args: Any, programme: Programme, departments: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = programme.organisations.all()
        self.fields["departments"].choices = [(d, d) for d in departments]

    def clean_identifiers(self) -> list[str]:
        raw = self.cleaned_data.get("identifiers") or ""
        items = [i.strip() for i in raw.replace(",", "\n").splitlines() if i.strip()]
        return list(dict.fromkeys(items))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("grade_min"), cleaned.get("grade_max")
        if low is not None and high is not None and low > high:
            self.add_error("grade_max", "The highest grade must not be below the lowest.")
        return cleaned

    def criteria(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organisation_ids": [o.pk for o in data.get("organisations") or []],
            "departments": data.get("departments") or [],
            "grade_min": data.get("grade_min"),
            "grade_max": data.get("grade_max"),
            "identifiers": data.get("identifiers") or [],
            "order": data.get("order") or "senior",
        }


class ScreeningFilterForm(forms.Form):
    side = forms.ChoiceField(
        choices=[("", "Both sides"), *Side.choices], required=False, label="Side"
    )
    status = forms.ChoiceField(choices=[("", "Any status")], required=False, label="Status")
    eligibility = forms.ChoiceField(
        choices=[
            ("", "Anyone"),
            ("eligible", "Eligible"),
            ("ineligible", "Not eligible"),
            ("overridden", "Let in by override"),
        ],
        required=False,
        label="Eligibility",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="Any organisation"
    )
    cohort = forms.TypedChoiceField(
        choices=(), required=False, coerce=int, empty_value=None, label="Cohort"
    )
    department = forms.ChoiceField(choices=(), required=False, label="Department")
    q = forms.CharField(required=False, max_length=100, label="Name, email or employee id")

    def __init__(
        self, *args: Any, programme: Programme, departments: list[str], **kwargs: Any
    ) -> None:
        from .models import Application

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status"), *Application.Status.choices]
        self.fields["organisation"].queryset = programme.organisations.all()
        self.fields["cohort"].choices = [
            ("", "Any cohort"),
            (0, "No cohort yet"),
            *[(c.pk, c.name) for c in programme.cohorts.all()],
        ]
        self.fields["department"].choices = [("", "Any department"), *[(d, d) for d in departments]]


class BulkDecisionForm(forms.Form):
    applications = forms.TypedMultipleChoiceField(
        coerce=int,
        choices=(),
        error_messages={"required": "Tick at least one application."},
    )
    decision = forms.ChoiceField(
        choices=[
            ("accept", "Accept"),
            ("waitlist", "Put on the waiting list"),
            ("decline", "Decline"),
            ("cohort", "Put in a cohort only"),
        ],
        label="Do this with the ticked applications",
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(), required=False, empty_label="No cohort", label="Cohort"
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = programme.cohorts.all()
        # Any id is accepted here; the service refuses ids outside the programme.
        ids = self.data.getlist("applications") if hasattr(self.data, "getlist") else []
        self.fields["applications"].choices = [(i, i) for i in ids]


class SensitiveViewForm(forms.Form):
    reason = forms.ChoiceField(
        choices=SensitiveAccess.Reason.choices,
        widget=forms.RadioSelect,
        label="Why do you need to see it?",
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        label="More detail",
        help_text="Required for 'another reason'.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("reason") == SensitiveAccess.Reason.OTHER
            and not cleaned.get("note", "").strip()
        ):
            self.add_error("note", "Say why you need to see this information.")
        return cleaned


class CoordinatorAddForm(forms.Form):
    email = forms.EmailField(label="Email address of their Upward account")


class IdentityForm(forms.Form):
    """The optional identity questions: an answer is kept only with the consent ticked."""

    def __init__(
        self, *args: Any, dimensions: list[identity.Dimension], scope_label: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        self.scope_label = scope_label
        for dimension in dimensions:
            self.fields[f"identity_{dimension.code}"] = forms.ChoiceField(
                choices=list(dimension.options),
                required=False,
                widget=forms.RadioSelect,
                label=dimension.question,
                help_text=f"Why we ask: {dimension.purpose}",
                error_messages={"invalid_choice": "Choose one of the options given."},
            )
            self.fields[f"consent_{dimension.code}"] = forms.BooleanField(
                required=False,
                label=identity.WORDING.format(scope=scope_label),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for dimension in self.dimensions:
            value = cleaned.get(f"identity_{dimension.code}")
            consent = cleaned.get(f"consent_{dimension.code}")
            if value and not consent:
                self.add_error(
                    f"consent_{dimension.code}",
                    "To share this answer, tick the box to agree. Or leave the question blank: "
                    "that is fine and changes nothing about your application.",
                )
            elif consent and not value:
                self.add_error(
                    f"identity_{dimension.code}",
                    "Choose an answer, or untick the box if you would rather not share this.",
                )
        return cleaned

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "dimension": d,
                "answer": self[f"identity_{d.code}"],
                "consent": self[f"consent_{d.code}"],
            }
            for d in self.dimensions
        ]

    def values(self) -> dict[str, str]:
        return {
            d.code: self.cleaned_data[f"identity_{d.code}"]
            for d in self.dimensions
            if self.cleaned_data.get(f"identity_{d.code}")
        }

    def consents(self) -> set[str]:
        return {d.code for d in self.dimensions if self.cleaned_data.get(f"consent_{d.code}")}


class InvitationAccountForm(forms.Form):
    password1 = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="Choose a password",
        help_text="At least 10 characters, not a common password.",
    )
    password2 = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="The same password again",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("password1")
            and cleaned.get("password2")
            and cleaned["password1"] != cleaned["password2"]
        ):
            self.add_error("password2", "The two passwords are different.")
        return cleaned


class SideChoiceForm(forms.Form):
    side = forms.ChoiceField(choices=Side.choices, widget=forms.RadioSelect, label="Apply as")

    def __init__(self, *args: Any, sides: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["side"].choices = [(s, label) for s, label in Side.choices if s in sides]
