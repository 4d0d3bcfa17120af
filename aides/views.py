from django.shortcuts import render


def liste(request):
    return render(request, "aides/liste.html")
