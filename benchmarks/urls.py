"""The application's URLs plus a bare page: base.html with nothing in it, the floor every page stands on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@login_required
def bare(request):
    return render(request, "base.html", {})


urlpatterns = [path("__bench__/bare/", bare, name="bench_bare"), *app_urlpatterns]
