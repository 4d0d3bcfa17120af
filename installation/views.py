from django.shortcuts import render


def accueil(request):
    return render(request, "installation/accueil.html")


def rendez_vous(request):
    return render(request, "installation/rendez_vous.html")
