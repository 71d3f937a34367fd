"""Forms for the programme pages. Each validates input at the edge; services enforce rules."""

from .builder import EligibilityForm, FormIntroForm, QuestionForm
from .participant import IdentityForm, InvitationAccountForm, SideChoiceForm
from .readiness import (
    CohortForm,
    InterviewForm,
    ReadinessItemAddForm,
    ReadinessItemForm,
    ReasonForm,
    TopicForm,
)
from .screening import BulkDecisionForm, ScreeningFilterForm, SensitiveViewForm, WaveForm
from .setup import (
    CoordinatorAddForm,
    ObjectivesForm,
    OpenApplicationsForm,
    OpenCallForm,
    PhaseForm,
    PolicyForm,
    ProgrammeBasicsForm,
    ScheduleForm,
)

__all__ = [
    "BulkDecisionForm",
    "CohortForm",
    "CoordinatorAddForm",
    "EligibilityForm",
    "FormIntroForm",
    "IdentityForm",
    "InterviewForm",
    "InvitationAccountForm",
    "ObjectivesForm",
    "OpenApplicationsForm",
    "OpenCallForm",
    "PhaseForm",
    "PolicyForm",
    "ProgrammeBasicsForm",
    "QuestionForm",
    "ReadinessItemAddForm",
    "ReadinessItemForm",
    "ReasonForm",
    "ScheduleForm",
    "ScreeningFilterForm",
    "SensitiveViewForm",
    "SideChoiceForm",
    "TopicForm",
    "WaveForm",
]
