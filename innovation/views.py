from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "innovation/home.html", {"breadcrumbs": [(_("Innovasjonsarena"), None)]})
