from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from upward.accounts import permissions
from upward.directory.models import Organisation, Person

from . import registry, selectors, services
from .audit import request_route
from .forms import AuditFilterForm, ErasureForm, FindPersonForm
from .registry import DataSubject


def _zip_response(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    day = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{day}.zip"'
    return response


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/my_data.html",
        {"sections": sorted(registry.exporters())},
    )


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> HttpResponse:
    subject = DataSubject.of_user(request.user)  # type: ignore[arg-type]
    content = services.subject_export_build(
        subject=subject, by=request.user, route=request_route(request)
    )
    return _zip_response(content, "my-upward-data")


PERSON_MATCHES = 10


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    if not permissions.is_privileged(request.user):
        raise Http404("No audit trail here")
    form = AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    person = None
    matches: list[Any] = []
    if form.is_bound and form.is_valid():
        filters = {
            "kind": form.cleaned_data["kind"] or "",
            "since": form.cleaned_data["since"],
            "until": form.cleaned_data["until"],
        }
        people = selectors.people_in_scope(selectors.audit_scope(request.user))
        picked, name = form.cleaned_data["person_id"], form.cleaned_data["person"].strip()
        if picked:
            person = people.filter(pk=picked).first()
        elif name:
            found = list(
                people.filter(Q(name__icontains=name) | Q(employee_id__iexact=name))
                .select_related("organisation")
                .order_by("name", "pk")[: PERSON_MATCHES + 1]
            )
            if len(found) == 1:
                person = found[0]
            elif found:
                matches = found[:PERSON_MATCHES]
            else:
                form.add_error("person", f"Nobody you may see matches “{name}”.")
        if picked or name:
            # Nobody, or several people, match: show nothing until one person is chosen.
            filters["person_id"] = person.pk if person is not None else -1
    elif form.is_bound:
        filters = {"person_id": -1}  # invalid filters show nothing rather than everything
    entries = selectors.audit_entries(request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = selectors.audit_rows(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    pick = request.GET.copy()
    pick.pop("page", None)
    pick.pop("person_id", None)
    return render(
        request,
        "privacy/audit.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "person": person,
            "matches": matches,
            "pick_query": pick.urlencode(),
        },
    )


def _admin_organisations(user: Any) -> list[Organisation]:
    if getattr(user, "is_superuser", False):
        return list(Organisation.objects.order_by("name"))
    return list(Organisation.objects.filter(pk__in=permissions.administered_organisation_ids(user)))


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    organisations = _admin_organisations(request.user)
    if not organisations:
        raise Http404("No data requests here")
    form = FindPersonForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        person = Person.objects.filter(
            organisation_id=form.cleaned_data["organisation"],
            employee_id=form.cleaned_data["employee_id"].strip(),
        ).first()
        if person is not None and selectors.person_for_admin(request.user, person.pk):
            return redirect("privacy:person", pk=person.pk)
        form.add_error("employee_id", "Nobody with this employee id is in that directory.")
    erasures = Paginator(selectors.erasures_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "privacy/requests.html", {"form": form, "page": erasures, "query": ""})


def _person_or_404(request: HttpRequest, pk: int) -> Person:
    person = selectors.person_for_admin(request.user, pk)
    if person is None:
        raise Http404("No such person")
    return person


@login_required
def person_requests(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    return render(
        request,
        "privacy/person.html",
        {"person": person, "erased": person.name == services.ERASED_NAME and not person.active},
    )


@login_required
@require_POST
def person_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    content = services.subject_export_build(
        subject=DataSubject.of_person(person), by=request.user, route=request_route(request)
    )
    return _zip_response(content, f"upward-data-person-{person.pk}")


@login_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk)
    form = ErasureForm(request.POST or None, employee_id=person.employee_id)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.person_erase(
                person=person, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"The person was erased. Erasure record #{record.pk} lists what was removed.",
            )
            return redirect("privacy:requests")
    return render(request, "privacy/erase.html", {"person": person, "form": form})
