from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "verification/home.html", {"breadcrumbs": [(_("Verifikasjon"), None)]})


def qualification_home(request: HttpRequest) -> HttpResponse:
    return render(request, "verification/qualification_home.html", {"breadcrumbs": [(_("Kvalifisering"), None)]})
