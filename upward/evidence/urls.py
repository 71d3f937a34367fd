from django.urls import path

from . import views, views_builder

app_name = "evidence"

urlpatterns = [
    path("my-surveys/", views.surveys, name="surveys"),
    path("surveys/<int:pk>/", views.respond, name="respond"),
    path("programmes/<slug:slug>/surveys/", views.campaigns, name="campaigns"),
    path("surveys/<int:pk>/results/", views.results, name="results"),
    path("programmes/<slug:slug>/surveys/<int:pk>/reminders/", views.reminders, name="reminders"),
    path("programmes/<slug:slug>/evidence/", views.dashboard, name="dashboard"),
    path("programmes/<slug:slug>/evidence/<str:name>.svg", views.chart, name="chart"),
    path("programmes/<slug:slug>/safeguarding/", views.alerts, name="alerts"),
    path("programmes/<slug:slug>/evidence/baseline/", views.baseline, name="baseline"),
    path("programmes/<slug:slug>/evidence/report.pdf", views.report_pdf, name="report_pdf"),
    path("programmes/<slug:slug>/evidence/report-csv.zip", views.report_csv, name="report_csv"),
    path("programmes/<slug:slug>/evidence/notes/", views_builder.note_list, name="notes"),
    path(
        "programmes/<slug:slug>/evidence/notes/<int:pk>/",
        views_builder.note_edit,
        name="note_edit",
    ),
    path(
        "programmes/<slug:slug>/surveys/instruments/",
        views_builder.instrument_builder,
        name="instruments",
    ),
]
